// See include/CHalfPrecision.h for the contract.
#include "CHalfPrecision.h"

#include <string.h>

void chp_widen_bf16_portable(const uint16_t *source, float *destination, size_t count) {
    for (size_t i = 0; i < count; i++) {
        uint32_t bits = (uint32_t)source[i] << 16;
        memcpy(&destination[i], &bits, sizeof bits);
    }
}

// f32 -> f16 by hand. Finite values below 2^-14 become subnormal halves: adding 2^-1 (as a float) puts
// the half's 10 fraction bits at the bottom of the sum's fraction and lets the FPU's own
// round-to-nearest-even do the rounding. Normal values: rebias the exponent, add half an ulp of the
// half (0xFFF, plus 1 when the kept bit is odd, so ties go to even) and keep the top bits; a carry
// into the exponent (even up to infinity) is the correct rounding.
static uint16_t narrowF16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000);
    uint32_t magnitude = bits & 0x7FFFFFFFu;
    if (magnitude > 0x7F800000u) return sign | 0x7E00;                  // NaN, quiet
    if (magnitude >= 0x477FF000u) return sign | 0x7C00;                 // >= 65520 rounds to infinity
    if (magnitude < 0x38800000u) {                                      // below 2^-14: subnormal or zero
        float shifted;
        memcpy(&shifted, &magnitude, sizeof shifted);
        shifted += 0.5f;                                                // ulp of 0.5 is 2^-24, the half's
        uint32_t sum;
        memcpy(&sum, &shifted, sizeof sum);
        return sign | (uint16_t)(sum - 0x3F000000u);
    }
    uint32_t odd = (magnitude >> 13) & 1;
    magnitude += 0xC8000FFFu + odd;                                     // exponent 127 -> 15, + half ulp
    return sign | (uint16_t)(magnitude >> 13);
}

void chp_narrow_f16_portable(const float *source, uint16_t *destination, size_t count) {
    for (size_t i = 0; i < count; i++) destination[i] = narrowF16(source[i]);
}

void chp_narrow_bf16(const float *source, uint16_t *destination, size_t count) {
    for (size_t i = 0; i < count; i++) {
        uint32_t bits;
        memcpy(&bits, &source[i], sizeof bits);
        if ((bits & 0x7FFFFFFFu) > 0x7F800000u) {
            destination[i] = (uint16_t)((bits >> 16) | 0x0040);         // NaN, quiet
        } else {
            destination[i] = (uint16_t)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// -1: not asked yet. Races are benign: every thread computes and stores the same answer.
static int cachedHasF16C = -1;

int chp_has_f16c(void) {
    int known = __atomic_load_n(&cachedHasF16C, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c");
        __atomic_store_n(&cachedHasF16C, known, __ATOMIC_RELAXED);
    }
    return known;
}

// 32 halves per iteration (four independent 8-wide conversions), then 8 at a time, then a tail of
// fewer than 8 through a small zero-padded buffer, so no access strays past `count`.
__attribute__((target("avx2,f16c")))
void chp_widen_f16_f16c(const uint16_t *source, float *destination, size_t count) {
    size_t i = 0;
    for (; i + 32 <= count; i += 32) {
        __m256 a = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(source + i)));
        __m256 b = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(source + i + 8)));
        __m256 c = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(source + i + 16)));
        __m256 d = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(source + i + 24)));
        _mm256_storeu_ps(destination + i, a);
        _mm256_storeu_ps(destination + i + 8, b);
        _mm256_storeu_ps(destination + i + 16, c);
        _mm256_storeu_ps(destination + i + 24, d);
    }
    for (; i + 8 <= count; i += 8) {
        _mm256_storeu_ps(destination + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(source + i))));
    }
    if (i < count) {
        uint16_t halves[8] = {0};
        float floats[8];
        memcpy(halves, source + i, (count - i) * sizeof *source);
        _mm256_storeu_ps(floats, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)halves)));
        memcpy(destination + i, floats, (count - i) * sizeof *destination);
    }
}

__attribute__((target("avx2")))
static void widenBF16AVX2(const uint16_t *source, float *destination, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256i a = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(source + i)));
        __m256i b = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(source + i + 8)));
        _mm256_storeu_si256((__m256i *)(destination + i), _mm256_slli_epi32(a, 16));
        _mm256_storeu_si256((__m256i *)(destination + i + 8), _mm256_slli_epi32(b, 16));
    }
    chp_widen_bf16_portable(source + i, destination + i, count - i);
}

void chp_widen_bf16(const uint16_t *source, float *destination, size_t count) {
    if (chp_has_f16c()) {
        widenBF16AVX2(source, destination, count);
    } else {
        chp_widen_bf16_portable(source, destination, count);
    }
}

__attribute__((target("avx2,f16c")))
static void narrowF16F16C(const float *source, uint16_t *destination, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m128i halves = _mm256_cvtps_ph(_mm256_loadu_ps(source + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm_storeu_si128((__m128i *)(destination + i), halves);
    }
    chp_narrow_f16_portable(source + i, destination + i, count - i);
}

void chp_narrow_f16(const float *source, uint16_t *destination, size_t count) {
    if (chp_has_f16c()) {
        narrowF16F16C(source, destination, count);
    } else {
        chp_narrow_f16_portable(source, destination, count);
    }
}

#else

int chp_has_f16c(void) { return 0; }

void chp_narrow_f16(const float *source, uint16_t *destination, size_t count) {
    chp_narrow_f16_portable(source, destination, count);
}

void chp_widen_bf16(const uint16_t *source, float *destination, size_t count) {
    chp_widen_bf16_portable(source, destination, count);
}

#endif

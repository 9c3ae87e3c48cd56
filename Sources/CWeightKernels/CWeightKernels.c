// See include/CWeightKernels.h for the contract and the design.
#include "CWeightKernels.h"
#include "CHalfPrecision.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

// ---------------------------------------------------------------------------------------------------
// Portable parts: the 8-bit format (quantize, dequantize, activations).

// Exact binary16 -> binary32 for the finite, non-negative values a scale can take (max|w|/127 rounded).
static float halfToFloat(uint16_t half) {
    uint32_t exponent = (half >> 10) & 0x1F, fraction = half & 0x3FF;
    if (exponent == 0) return (float)fraction * 0x1p-24f;
    uint32_t bits = ((exponent + 112) << 23) | (fraction << 13);
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

// A scale as f16, round to nearest even (CHalfPrecision's exact narrowing); above the largest half it
// saturates, which keeps every quantized value within ±127.
static uint16_t floatToHalf(float value) {
    if (value >= 65504.0f) return 0x7BFF;
    uint16_t half;
    chp_narrow_f16_portable(&value, &half, 1);
    return half;
}

size_t cwk_q8_padded(size_t k) { return (k + 63) / 64 * 64; }

// Where element e (0..31) of block b sits in a padded row: blocks go in pairs (64 bytes, one
// 512-bit vector), and inside a pair the two blocks alternate every 4 bytes, so that the 16 int32
// lanes of `vpdpbusd` are block 2c, 2c+1, 2c, ... and the scales pair up as [d(2c), d(2c+1)] repeated.
static inline size_t q8Position(size_t b, size_t e) {
    return 64 * (b / 2) + 4 * (2 * (e / 4) + (b % 2)) + e % 4;
}

void cwk_q8_quantize_rows(const float *w, size_t rows, size_t k, uint8_t *quants, uint16_t *scales) {
    size_t padded = cwk_q8_padded(k), blocks = padded / 32;
    for (size_t r = 0; r < rows; r++) {
        const float *row = w + r * k;
        uint8_t *q = quants + r * padded;
        for (size_t b = 0; b < blocks; b++) {
            float amax = 0;
            for (size_t e = 0; e < 32 && b * 32 + e < k; e++) amax = fmaxf(amax, fabsf(row[b * 32 + e]));
            uint16_t half = floatToHalf(amax / 127.0f);
            float d = halfToFloat(half);
            scales[r * blocks + b] = half;
            for (size_t e = 0; e < 32; e++) {
                float v = b * 32 + e < k && d > 0 ? nearbyintf(row[b * 32 + e] / d) : 0.0f;
                v = fminf(fmaxf(v, -127.0f), 127.0f);
                q[q8Position(b, e)] = (uint8_t)((int)v + 128);
            }
        }
    }
}

void cwk_q8_dequantize_rows(const uint8_t *quants, const uint16_t *scales, size_t rows, size_t k, float *w) {
    size_t padded = cwk_q8_padded(k), blocks = padded / 32;
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < k; c++) {
            size_t b = c / 32;
            int q = (int)quants[r * padded + q8Position(b, c % 32)] - 128;
            w[r * k + c] = halfToFloat(scales[r * blocks + b]) * (float)q;
        }
    }
}

void cwk_q8_quantize_activations(const float *x, size_t tokens, size_t k, int8_t *xq, float *xs, int32_t *xc) {
    size_t padded = cwk_q8_padded(k), blocks = padded / 32;
    for (size_t t = 0; t < tokens; t++) {
        const float *row = x + t * k;
        int8_t *q = xq + t * padded;
        for (size_t b = 0; b < blocks; b++) {
            float amax = 0;
            for (size_t e = 0; e < 32 && b * 32 + e < k; e++) amax = fmaxf(amax, fabsf(row[b * 32 + e]));
            float d = amax / 127.0f, inverse = amax > 0 ? 127.0f / amax : 0.0f;
            xs[t * blocks + b] = d;
            for (size_t e = 0; e < 32; e++) {
                float v = b * 32 + e < k ? nearbyintf(row[b * 32 + e] * inverse) : 0.0f;
                q[q8Position(b, e)] = (int8_t)fminf(fmaxf(v, -127.0f), 127.0f);
            }
        }
        for (size_t lane = 0; lane < padded / 4; lane++) {
            const int8_t *g = q + 4 * lane;
            xc[t * (padded / 4) + lane] = -128 * ((int32_t)g[0] + g[1] + g[2] + g[3]);
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

static int cachedFeatures = -1;

int cwk_features(void) {
    int known = __atomic_load_n(&cachedFeatures, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        int base = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("f16c") && __builtin_cpu_supports("fma");
        known = base ? CWK_F16 : 0;
        if (base && __builtin_cpu_supports("avx512bf16")) known |= CWK_BF16;
        if (base && __builtin_cpu_supports("avx512vnni")) known |= CWK_VNNI;
        __atomic_store_n(&cachedFeatures, known, __ATOMIC_RELAXED);
    }
    return known;
}

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define TOKEN_BLOCK 64

// The tile bodies below take RM and RN as arguments but are only ever called with constants (through
// the per-shape functions the TILES macro defines), so the compiler unrolls them into RM·RN register
// accumulators. Edges (fewer than RM tokens or RN rows left) use the smaller shapes.

// ---- bf16: 32 products per `vdpbf16ps` (pairs of bf16, summed into 16 f32 lanes).
#define BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16,fma,f16c")))

ALWAYS_INLINE BF16_TARGET void tileBF16(const uint16_t *x, const uint16_t *w, size_t k, float *y, size_t ldy,
                                        const int RM, const int RN) {
    __m512 acc[6][6];
    for (int i = 0; i < RM; i++) for (int j = 0; j < RN; j++) acc[i][j] = _mm512_setzero_ps();
    size_t c = 0;
    for (; c + 32 <= k; c += 32) {
        __m512bh wv[6];
        for (int j = 0; j < RN; j++) wv[j] = (__m512bh)_mm512_loadu_si512(w + j * k + c);
        for (int i = 0; i < RM; i++) {
            __m512bh xv = (__m512bh)_mm512_loadu_si512(x + i * k + c);
            for (int j = 0; j < RN; j++) acc[i][j] = _mm512_dpbf16_ps(acc[i][j], xv, wv[j]);
        }
    }
    if (c < k) {
        __mmask32 mask = (__mmask32)((1ull << (k - c)) - 1);
        __m512bh wv[6];
        for (int j = 0; j < RN; j++) wv[j] = (__m512bh)_mm512_maskz_loadu_epi16(mask, w + j * k + c);
        for (int i = 0; i < RM; i++) {
            __m512bh xv = (__m512bh)_mm512_maskz_loadu_epi16(mask, x + i * k + c);
            for (int j = 0; j < RN; j++) acc[i][j] = _mm512_dpbf16_ps(acc[i][j], xv, wv[j]);
        }
    }
    for (int i = 0; i < RM; i++) for (int j = 0; j < RN; j++) y[i * ldy + j] = _mm512_reduce_add_ps(acc[i][j]);
}

// ---- f16 for few tokens: 16 products per FMA, each weight widened by `vcvtph2ps` once per RM tokens.
#define F16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,fma,f16c")))

ALWAYS_INLINE F16_TARGET void tileF16(const float *x, const uint16_t *w, size_t k, float *y, size_t ldy,
                                      const int RM, const int RN) {
    __m512 acc[8][6];
    for (int i = 0; i < RM; i++) for (int j = 0; j < RN; j++) acc[i][j] = _mm512_setzero_ps();
    size_t c = 0;
    for (; c + 16 <= k; c += 16) {
        __m512 wv[6];
        for (int j = 0; j < RN; j++) wv[j] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(w + j * k + c)));
        for (int i = 0; i < RM; i++) {
            __m512 xv = _mm512_loadu_ps(x + i * k + c);
            for (int j = 0; j < RN; j++) acc[i][j] = _mm512_fmadd_ps(xv, wv[j], acc[i][j]);
        }
    }
    if (c < k) {
        __mmask16 mask = (__mmask16)((1u << (k - c)) - 1);
        __m512 wv[6];
        for (int j = 0; j < RN; j++) wv[j] = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(mask, w + j * k + c));
        for (int i = 0; i < RM; i++) {
            __m512 xv = _mm512_maskz_loadu_ps(mask, x + i * k + c);
            for (int j = 0; j < RN; j++) acc[i][j] = _mm512_fmadd_ps(xv, wv[j], acc[i][j]);
        }
    }
    for (int i = 0; i < RM; i++) for (int j = 0; j < RN; j++) y[i * ldy + j] = _mm512_reduce_add_ps(acc[i][j]);
}

// ---- f16 for many tokens: outer products over a packed panel (a GEMM microkernel, as in BLIS).
// The tile above widens each weight vector once per RM = 8 tokens and ends with a lane reduction per
// output. With many tokens it pays to widen each weight once per product instead: a panel of
// PANEL_ROWS = 64 weight rows × PANEL_K = 1024 columns is widened into a buffer laid out column by
// column (`panel[c][row]`, 256 KB: it stays in L2), and every group of MICRO_TOKENS = 6 tokens runs
// over it. Per column c: four vector loads of the panel (64 rows), six broadcasts of x[t][c], 24 FMAs
// into 24 register accumulators (an outer product; each lane is one output, nothing is reduced across
// lanes; 4 loads + 6 broadcasts per 24 FMAs leave the FMA unit the bottleneck). The accumulators start
// from y for the panels after the first, so each output is still one chain of k f32 additions of
// exact products. Measured with bench/kernels/f16_gemm.c (one thread, 512 × 4096 × 4096): 111 GFLOP
// per CPU-second against the tile's 88 (the FMA peak, measured the same way, is 117); 8 × 48 tiles
// and panels of 256 or 128 columns measured 105 and 98. The widening (16 × 16 blocks transposed in
// registers) costs ~1/tokens of the arithmetic, hence the dot tiles below PACKED_MIN_TOKENS.
#define MICRO_TOKENS 6
#define PANEL_VECTORS 4
#define PANEL_ROWS (16 * PANEL_VECTORS)
#define PANEL_K 1024
#define PACKED_MIN_TOKENS 128

ALWAYS_INLINE F16_TARGET void microF16(const float *x, size_t ldx, const float *panel, size_t kc, float *y,
                                       size_t ldy, const __mmask16 *masks, int accumulate, const int RM) {
    __m512 acc[MICRO_TOKENS][PANEL_VECTORS];
    for (int i = 0; i < RM; i++)
        for (int j = 0; j < PANEL_VECTORS; j++)
            acc[i][j] = accumulate ? _mm512_maskz_loadu_ps(masks[j], y + i * ldy + 16 * j) : _mm512_setzero_ps();
    for (size_t c = 0; c < kc; c++) {
        __m512 b[PANEL_VECTORS];
        for (int j = 0; j < PANEL_VECTORS; j++) b[j] = _mm512_load_ps(panel + c * PANEL_ROWS + 16 * j);
        for (int i = 0; i < RM; i++) {
            __m512 a = _mm512_set1_ps(x[i * ldx + c]);
            for (int j = 0; j < PANEL_VECTORS; j++) acc[i][j] = _mm512_fmadd_ps(a, b[j], acc[i][j]);
        }
    }
    for (int i = 0; i < RM; i++)
        for (int j = 0; j < PANEL_VECTORS; j++) _mm512_mask_storeu_ps(y + i * ldy + 16 * j, masks[j], acc[i][j]);
}

// panel[c][j] = w[j][c] widened, for j < rows (zeros beyond) and c < kc, by blocks of 16 rows × 16
// columns: 16 row vectors are widened and transposed in registers (unpack pairs of floats, then pairs
// of doubles, then 128-bit quarters), and each column goes out as one vector store.
static F16_TARGET void packF16(const uint16_t *w, size_t k, size_t rows, size_t kc, float *panel) {
    for (size_t j0 = 0; j0 < PANEL_ROWS; j0 += 16) {
        for (size_t c0 = 0; c0 < kc; c0 += 16) {
            size_t width = kc - c0 < 16 ? kc - c0 : 16;
            __mmask16 mask = (__mmask16)((1u << width) - 1);
            __m512 r[16], a[16], b[16];
            for (int i = 0; i < 16; i++)
                r[i] = j0 + i < rows ? _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(mask, w + (j0 + i) * k + c0))
                                     : _mm512_setzero_ps();
            for (int i = 0; i < 16; i += 2) {  // a[i] lane L: r[i][4L], r[i+1][4L], r[i][4L+1], r[i+1][4L+1]
                a[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
                a[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
            }
            for (int i = 0; i < 16; i += 4) {  // b[i+m] lane L: column 4L+m of rows i..i+3
                b[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(a[i]), _mm512_castps_pd(a[i + 2])));
                b[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(a[i]), _mm512_castps_pd(a[i + 2])));
                b[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(a[i + 1]), _mm512_castps_pd(a[i + 3])));
                b[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(a[i + 1]), _mm512_castps_pd(a[i + 3])));
            }
            for (int m = 0; m < 4; m++) {  // column 4L+m = lane L of b[m], b[4+m], b[8+m], b[12+m]
                __m512 lo01 = _mm512_shuffle_f32x4(b[m], b[4 + m], 0x44), lo23 = _mm512_shuffle_f32x4(b[m], b[4 + m], 0xEE);
                __m512 hi01 = _mm512_shuffle_f32x4(b[8 + m], b[12 + m], 0x44), hi23 = _mm512_shuffle_f32x4(b[8 + m], b[12 + m], 0xEE);
                __m512 t[4] = { _mm512_shuffle_f32x4(lo01, hi01, 0x88), _mm512_shuffle_f32x4(lo01, hi01, 0xDD),
                                _mm512_shuffle_f32x4(lo23, hi23, 0x88), _mm512_shuffle_f32x4(lo23, hi23, 0xDD) };
                for (size_t L = 0; L < 4; L++)
                    if (4 * L + m < width) _mm512_store_ps(panel + (c0 + 4 * L + m) * PANEL_ROWS + j0, t[L]);
            }
        }
    }
}

#define MICRO(RM) static F16_TARGET void micro##RM(const float *x, size_t ldx, const float *panel, size_t kc, float *y, \
    size_t ldy, const __mmask16 *masks, int accumulate) { microF16(x, ldx, panel, kc, y, ldy, masks, accumulate, RM); }
MICRO(1) MICRO(2) MICRO(3) MICRO(4) MICRO(5) MICRO(6)
typedef void (*MicroF16)(const float *, size_t, const float *, size_t, float *, size_t, const __mmask16 *, int);
static const MicroF16 microsF16[MICRO_TOKENS] = { micro1, micro2, micro3, micro4, micro5, micro6 };

// Panels of 64 rows × 1024 columns; each is widened once and met by all the tokens, 6 at a time.
static F16_TARGET void packedF16(const float *x, size_t tokens, size_t k, const uint16_t *w, size_t rowBegin,
                                 size_t rowEnd, float *y, size_t ldy) {
    float *panel = aligned_alloc(64, sizeof(float) * PANEL_K * PANEL_ROWS);  // (too big for a worker's stack)
    if (!panel) abort();
    for (size_t r = rowBegin; r < rowEnd; r += PANEL_ROWS) {
        size_t rows = rowEnd - r < PANEL_ROWS ? rowEnd - r : PANEL_ROWS;
        __mmask16 masks[PANEL_VECTORS];
        for (int j = 0; j < PANEL_VECTORS; j++) {
            size_t left = rows > 16 * (size_t)j ? rows - 16 * (size_t)j : 0;
            masks[j] = left >= 16 ? 0xFFFF : (__mmask16)((1u << left) - 1);
        }
        for (size_t c = 0; c < k; c += PANEL_K) {
            size_t kc = k - c < PANEL_K ? k - c : PANEL_K;
            packF16(w + r * k + c, k, rows, kc, panel);
            for (size_t t = 0; t < tokens; t += MICRO_TOKENS) {
                size_t rm = tokens - t < MICRO_TOKENS ? tokens - t : MICRO_TOKENS;
                microsF16[rm - 1](x + t * k + c, k, panel, kc, y + t * ldy + r, ldy, masks, c > 0);
            }
        }
    }
    free(panel);
}

// ---- 8-bit: 64 byte products per `vpdpbusd` (two blocks), exact in int32; the lanes start at
// −128·Σx (xc), which cancels the +128 stored with each weight. Then per lane: convert, multiply by
// the pair of scales [dx·dw], add.
#define Q8_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,fma,f16c")))

ALWAYS_INLINE Q8_TARGET void tileQ8(const int8_t *xq, const float *xs, const int32_t *xc, size_t padded,
                                      const uint8_t *q, const uint16_t *s, float *y, size_t ldy,
                                      const int RM, const int RN) {
    __m512 acc[4][4];
    size_t blocks = padded / 32, lanes = padded / 4;
    for (int i = 0; i < RM; i++) for (int j = 0; j < RN; j++) acc[i][j] = _mm512_setzero_ps();
    for (size_t p = 0; p < padded / 64; p++) {
        __m512i wv[4];
        __m512 dw[4];
        for (int j = 0; j < RN; j++) {
            wv[j] = _mm512_loadu_si512(q + j * padded + 64 * p);
            uint32_t pair;
            memcpy(&pair, s + j * blocks + 2 * p, sizeof pair);
            dw[j] = _mm512_cvtph_ps(_mm256_set1_epi32((int)pair));
        }
        for (int i = 0; i < RM; i++) {
            __m512i xv = _mm512_loadu_si512(xq + i * padded + 64 * p);
            __m512i cv = _mm512_loadu_si512(xc + i * lanes + 16 * p);
            double pair;
            memcpy(&pair, xs + i * blocks + 2 * p, sizeof pair);
            __m512 dx = _mm512_castpd_ps(_mm512_set1_pd(pair));
            for (int j = 0; j < RN; j++) {
                __m512i dot = _mm512_dpbusd_epi32(cv, wv[j], xv);
                acc[i][j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(dx, dw[j]), acc[i][j]);
            }
        }
    }
    for (int i = 0; i < RM; i++) for (int j = 0; j < RN; j++) y[i * ldy + j] = _mm512_reduce_add_ps(acc[i][j]);
}

// Per-shape functions and a table [RM-1][RN-1] of them.
#define BF16_RM 4
#define BF16_RN 6
#define F16_RM 8
#define F16_RN 3
#define Q8_RM 4
#define Q8_RN 4

#define SHAPE(kind, RM, RN) \
    static kind##_TARGET void kind##_##RM##x##RN(KIND_PARAMS_##kind) { tile##kind(KIND_ARGS_##kind, RM, RN); }

#define KIND_PARAMS_BF16 const uint16_t *x, const uint16_t *w, size_t k, float *y, size_t ldy
#define KIND_ARGS_BF16 x, w, k, y, ldy
#define KIND_PARAMS_F16 const float *x, const uint16_t *w, size_t k, float *y, size_t ldy
#define KIND_ARGS_F16 x, w, k, y, ldy
#define KIND_PARAMS_Q8 const int8_t *xq, const float *xs, const int32_t *xc, size_t padded, const uint8_t *q, \
                       const uint16_t *s, float *y, size_t ldy
#define KIND_ARGS_Q8 xq, xs, xc, padded, q, s, y, ldy

#define ROW6(kind, RM) SHAPE(kind, RM, 1) SHAPE(kind, RM, 2) SHAPE(kind, RM, 3) SHAPE(kind, RM, 4) SHAPE(kind, RM, 5) SHAPE(kind, RM, 6)
#define ROW4(kind, RM) SHAPE(kind, RM, 1) SHAPE(kind, RM, 2) SHAPE(kind, RM, 3) SHAPE(kind, RM, 4)
#define ROW3(kind, RM) SHAPE(kind, RM, 1) SHAPE(kind, RM, 2) SHAPE(kind, RM, 3)
ROW6(BF16, 1) ROW6(BF16, 2) ROW6(BF16, 3) ROW6(BF16, 4)
ROW3(F16, 1) ROW3(F16, 2) ROW3(F16, 3) ROW3(F16, 4) ROW3(F16, 5) ROW3(F16, 6) ROW3(F16, 7) ROW3(F16, 8)
ROW4(Q8, 1) ROW4(Q8, 2) ROW4(Q8, 3) ROW4(Q8, 4)

typedef void (*TileBF16)(KIND_PARAMS_BF16);
typedef void (*TileF16)(KIND_PARAMS_F16);
typedef void (*TileQ8)(KIND_PARAMS_Q8);
#define T6(kind, RM) { kind##_##RM##x1, kind##_##RM##x2, kind##_##RM##x3, kind##_##RM##x4, kind##_##RM##x5, kind##_##RM##x6 }
#define T4(kind, RM) { kind##_##RM##x1, kind##_##RM##x2, kind##_##RM##x3, kind##_##RM##x4 }
#define T3(kind, RM) { kind##_##RM##x1, kind##_##RM##x2, kind##_##RM##x3 }
static const TileBF16 tilesBF16[BF16_RM][BF16_RN] = { T6(BF16, 1), T6(BF16, 2), T6(BF16, 3), T6(BF16, 4) };
static const TileF16 tilesF16[F16_RM][F16_RN] = {
    T3(F16, 1), T3(F16, 2), T3(F16, 3), T3(F16, 4), T3(F16, 5), T3(F16, 6), T3(F16, 7), T3(F16, 8) };
static const TileQ8 tilesQ8[Q8_RM][Q8_RN] = { T4(Q8, 1), T4(Q8, 2), T4(Q8, 3), T4(Q8, 4) };

#define MIN(a, b) ((a) < (b) ? (a) : (b))

// Tokens in blocks of TOKEN_BLOCK; inside a block, each group of RN weight rows meets every group of
// RM tokens while those rows are hot in L1/L2.
void cwk_gemm_bf16(const uint16_t *x, size_t tokens, size_t k, const uint16_t *w, size_t rowBegin,
                   size_t rowEnd, float *y, size_t ldy) {
    for (size_t t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
        size_t t1 = MIN(tokens, t0 + TOKEN_BLOCK);
        for (size_t r = rowBegin; r < rowEnd; r += BF16_RN) {
            size_t rn = MIN(BF16_RN, rowEnd - r);
            for (size_t t = t0; t < t1; t += BF16_RM) {
                size_t rm = MIN(BF16_RM, t1 - t);
                tilesBF16[rm - 1][rn - 1](x + t * k, w + r * k, k, y + t * ldy + r, ldy);
            }
        }
    }
}

void cwk_gemm_f16(const float *x, size_t tokens, size_t k, const uint16_t *w, size_t rowBegin, size_t rowEnd,
                  float *y, size_t ldy) {
    if (tokens >= PACKED_MIN_TOKENS) { packedF16(x, tokens, k, w, rowBegin, rowEnd, y, ldy); return; }
    for (size_t t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
        size_t t1 = MIN(tokens, t0 + TOKEN_BLOCK);
        for (size_t r = rowBegin; r < rowEnd; r += F16_RN) {
            size_t rn = MIN(F16_RN, rowEnd - r);
            for (size_t t = t0; t < t1; t += F16_RM) {
                size_t rm = MIN(F16_RM, t1 - t);
                tilesF16[rm - 1][rn - 1](x + t * k, w + r * k, k, y + t * ldy + r, ldy);
            }
        }
    }
}

void cwk_gemm_q8(const int8_t *xq, const float *xs, const int32_t *xc, size_t tokens, size_t k,
                 const uint8_t *quants, const uint16_t *scales, size_t rowBegin, size_t rowEnd, float *y, size_t ldy) {
    size_t padded = cwk_q8_padded(k), blocks = padded / 32, lanes = padded / 4;
    for (size_t t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
        size_t t1 = MIN(tokens, t0 + TOKEN_BLOCK);
        for (size_t r = rowBegin; r < rowEnd; r += Q8_RN) {
            size_t rn = MIN(Q8_RN, rowEnd - r);
            for (size_t t = t0; t < t1; t += Q8_RM) {
                size_t rm = MIN(Q8_RM, t1 - t);
                tilesQ8[rm - 1][rn - 1](xq + t * padded, xs + t * blocks, xc + t * lanes, padded,
                                        quants + r * padded, scales + r * blocks, y + t * ldy + r, ldy);
            }
        }
    }
}

#else

int cwk_features(void) { return 0; }
void cwk_gemm_bf16(const uint16_t *x, size_t tokens, size_t k, const uint16_t *w, size_t rowBegin,
                   size_t rowEnd, float *y, size_t ldy) { (void)x; (void)tokens; (void)k; (void)w; (void)rowBegin; (void)rowEnd; (void)y; (void)ldy; }
void cwk_gemm_f16(const float *x, size_t tokens, size_t k, const uint16_t *w, size_t rowBegin, size_t rowEnd,
                  float *y, size_t ldy) { (void)x; (void)tokens; (void)k; (void)w; (void)rowBegin; (void)rowEnd; (void)y; (void)ldy; }
void cwk_gemm_q8(const int8_t *xq, const float *xs, const int32_t *xc, size_t tokens, size_t k,
                 const uint8_t *quants, const uint16_t *scales, size_t rowBegin, size_t rowEnd, float *y, size_t ldy) {
    (void)xq; (void)xs; (void)xc; (void)tokens; (void)k; (void)quants; (void)scales; (void)rowBegin; (void)rowEnd; (void)y; (void)ldy;
}

#endif

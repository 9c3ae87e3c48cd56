// Hardware widening of 16-bit floats (IEEE binary16 and bfloat16) to binary32, for the engine's
// half-weight path (Sources/LlamaInference/Compute/HalfPrecision.swift is the only caller).
//
// Every function writes exactly `count` floats to `destination` and reads exactly `count` halves from
// `source`; neither pointer needs any alignment. On x86-64 the loops use AVX2 and F16C (`vcvtph2ps`,
// Intel SDM vol. 2A), chosen at run time by `chp_has_f16c()`. Without them, bf16 falls back to a scalar
// shift here and f16 to the Swift side's exact 65,536-entry table (so there is no f16 code here to
// call off x86 or on an x86 without F16C).
//
// Narrowing (f32 -> f16 / bf16, round to nearest even, as PyTorch's `.half()` / `.bfloat16()` do) is
// here too, for LoRA targets merged in f32 and stored back in the checkpoint's format: F16C's
// `vcvtps2ph` when available, else portable scalar code (both exact; tests check them against Swift's
// `Float16` and each other).
//
// Deliberately not here: threads (the caller splits the work).
#ifndef CHALF_PRECISION_H
#define CHALF_PRECISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU has AVX2 and F16C (checked once, thread-safely), else 0. Always 0 off x86.
int chp_has_f16c(void);

#if defined(__x86_64__) || defined(__i386__)
/// f16 -> f32 with F16C. Call only when `chp_has_f16c()` is 1 (declared only on x86).
/// Exact for every bit pattern except that signalling NaNs come out quiet (bit 22 set), as `vcvtph2ps`
/// does; infinities, zeros of both signs and subnormals are exact.
void chp_widen_f16_f16c(const uint16_t *source, float *destination, size_t count);
#endif

/// bf16 -> f32 (the bits shifted left by 16, exact for every pattern, NaN payloads kept): AVX2 when
/// `chp_has_f16c()` is 1, else a scalar loop.
void chp_widen_bf16(const uint16_t *source, float *destination, size_t count);

/// The scalar bf16 loop alone (what `chp_widen_bf16` falls back to), exposed so tests can check it.
void chp_widen_bf16_portable(const uint16_t *source, float *destination, size_t count);

/// f32 -> f16, round to nearest even; overflow gives ±infinity, NaN gives a quiet NaN. F16C when
/// `chp_has_f16c()` is 1, else `chp_narrow_f16_portable`. Reads `count` floats, writes `count` halves.
void chp_narrow_f16(const float *source, uint16_t *destination, size_t count);

/// The scalar f32 -> f16 loop alone (what `chp_narrow_f16` falls back to), exposed so tests can check it.
void chp_narrow_f16_portable(const float *source, uint16_t *destination, size_t count);

/// f32 -> bf16, round to nearest even (the top 16 bits, rounded); NaN gives a quiet NaN. Scalar.
void chp_narrow_bf16(const float *source, uint16_t *destination, size_t count);

#ifdef __cplusplus
}
#endif

#endif

// Matrix products straight from 16-bit and 8-bit weights, with the CPU's own arithmetic (AVX-512:
// `vdpbf16ps` for bf16, `vcvtph2ps` + FMA for f16, `vpdpbusd` for 8-bit). The engine's only caller is
// Sources/LlamaInference/Compute/NativeKernels.swift, which chooses them at run time from
// `cwk_features()` and splits the rows of the weight between threads.
//
// Every product is the linear layer `y = x · Wᵀ`: `x` is `(tokens, k)` row-major, `W` is `(rows, k)`
// row-major as checkpoints store it, and the call computes the columns `rowBegin ..< rowEnd` of
// `y (tokens, ldy)`, i.e. `y[t·ldy + r] = Σ_k x[t·k + c] · W[r·k + c]`. Results are written, not added.
//
// How (one design for the three types, after tinyBLAS's, llamafile): a tile of RM tokens × RN weight
// rows keeps RM·RN vector accumulators in registers over the whole k, reading `x` and `W` in place
// (no packing); each accumulator is summed across its lanes once at the end. Tokens are taken in
// blocks of 64 so that a block of `x` stays in L2 while the weight streams past it once per block.
// k need not be a multiple of the vector width: the last step uses masked loads (zeros beyond k).
// The exception, f16 with 128 tokens or more: panels of 64 rows × 1024 columns are widened once into a
// buffer (column by column, L2-resident) and an outer-product microkernel of 6 tokens × 64 rows runs
// over it.
//
// Deliberately not here: threads, LoRA updates, choosing a path (the Swift side does all three).
#ifndef CWEIGHT_KERNELS_H
#define CWEIGHT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// CPU features, checked once (thread-safely): bit 0 = AVX512F/BW/VL + F16C + FMA (the f16 kernel),
/// bit 1 = bit 0 + AVX512_BF16 (the bf16 kernel), bit 2 = bit 0 + AVX512_VNNI (the 8-bit kernel).
/// Always 0 off x86-64.
int cwk_features(void);

enum { CWK_F16 = 1, CWK_BF16 = 2, CWK_VNNI = 4 };

/// bf16 weights × bf16 activations (`x` already rounded to nearest even, `chp_narrow_bf16`), products exact in f32,
/// summed in f32 (`vdpbf16ps`). Needs `CWK_BF16`.
void cwk_gemm_bf16(const uint16_t *x, size_t tokens, size_t k, const uint16_t *w, size_t rowBegin,
                   size_t rowEnd, float *y, size_t ldy);

/// f16 weights × f32 activations: each weight widened exactly (`vcvtph2ps`), products and sums in f32
/// (FMA). The same numbers as widening W and calling sgemm, summed in another order. Needs `CWK_F16`.
/// Below 128 tokens: dot-product tiles of 8 tokens × 3 rows; from 128 on: widened panels (see the .c).
void cwk_gemm_f16(const float *x, size_t tokens, size_t k, const uint16_t *w, size_t rowBegin, size_t rowEnd,
                  float *y, size_t ldy);

/// The 8-bit format (like llama.cpp's Q8_0): each row of `k` weights is padded with zeros to
/// `cwk_q8_padded(k)` (a multiple of 64) and cut into blocks of 32; block b holds 32 integers
/// q ∈ [-127, 127] and one f16 scale d = max|w| / 127, so w ≈ d·q. Stored as `q + 128` (unsigned
/// bytes, the form `vpdpbusd` multiplies) in `quants (rows, padded)` and `scales (rows, padded/32)`.
size_t cwk_q8_padded(size_t k);

/// Quantizes `rows` rows of f32 weights (`(rows, k)`) into that format. Portable.
void cwk_q8_quantize_rows(const float *w, size_t rows, size_t k, uint8_t *quants, uint16_t *scales);

/// Widens rows of the 8-bit format back to f32 (`d·q`, exact in f32), `k` values per row: the
/// fallback path and evidence attribution read the weight this way. Portable.
void cwk_q8_dequantize_rows(const uint8_t *quants, const uint16_t *scales, size_t rows, size_t k, float *w);

/// Activations for the 8-bit kernel: each row of `x (tokens, k)` quantized per block of 32 like the
/// weights (signed bytes, f32 scale), into `xq (tokens, padded)`, plus what the kernel needs beside
/// them: `xs (tokens, padded/4)` floats, each block's scale repeated 8 times, and `xc (tokens,
/// padded/4)` integers, −128 × the sum of each group of 4 bytes (cancels the +128 of the weights).
void cwk_q8_quantize_activations(const float *x, size_t tokens, size_t k, int8_t *xq, float *xs, int32_t *xc);

/// 8-bit weights × 8-bit activations: each block's dot product exact in int32 (`vpdpbusd`), scaled by
/// the two blocks' scales and summed in f32. Needs `CWK_VNNI`. `k` is the unpadded width.
void cwk_gemm_q8(const int8_t *xq, const float *xs, const int32_t *xc, size_t tokens, size_t k,
                 const uint8_t *quants, const uint16_t *scales, size_t rowBegin, size_t rowEnd, float *y, size_t ldy);

#ifdef __cplusplus
}
#endif

#endif

// The linear layer `y = x · Wᵀ` through oneDNN's matmul primitive (Debian's libdnnl, the library
// PyTorch uses on CPUs), for f32 and bf16 weights read in place. The engine's only caller is
// Sources/LlamaInference/Compute/OneDNN.swift.
//
// Shapes (row-major, as everywhere in the engine): `x (tokens, k)`, `W (rows, k)` as checkpoints store
// it, `y (tokens, ldy)`; the call writes columns `0 ..< rows` of `y`: `y[t·ldy + r] = Σ_c x[t·k + c] · W[r·k + c]`.
//
// Why a library here: on a Zen 4 core oneDNN's brgemm kernels reach ~108 GFLOP per CPU-second in f32
// (OpenBLAS 0.3.21's Cooperlake sgemm: ~95) and ~213 in bf16 with `vdpbf16ps` (our hand-written
// tile kernel: ~55), measured single-threaded on 512 × 4096 × 4096 (docs/ENGINE.md, issue 17).
// Threads: oneDNN's own OpenMP team of `threads` (Debian builds it with OpenMP).
// Primitives are created per shape and kept by oneDNN's primitive cache, so a repeated shape does not
// compile its kernel again.
#ifndef CONEDNN_MATMUL_H
#define CONEDNN_MATMUL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Weight (and activation) element types.
enum { ODM_F32 = 0, ODM_BF16 = 1 };

/// `y = x · Wᵀ`. `type` ODM_F32: `x` is f32, `w` f32. ODM_BF16: `x` is bf16 (already rounded by the
/// caller), `w` bf16; products exact in f32, sums in f32. Returns 0, or oneDNN's status code when it
/// could not build or run the product (the caller then takes another path).
int odm_matmul(int type, const void *x, size_t tokens, size_t k, const void *w, size_t rows, float *y,
               size_t ldy, int threads);

#ifdef __cplusplus
}
#endif

#endif

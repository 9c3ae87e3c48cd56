import COpenBLAS
import Foundation

/// The one seam between the model and the BLAS library: every matrix product of the forward pass and
/// the LoRA merge goes through `gemm` or `gemv`; everything else is plain Swift loops.
///
/// Layout: all matrices are **row-major** (C order, as safetensors stores them and as PyTorch's
/// `weight` of shape `(out_features, in_features)` is laid out). A matrix `M` with `r` rows and leading
/// dimension `ld` has element `(i, j)` at `M[i * ld + j]`; `ld >= columns` lets a call address one head's
/// columns inside a wider buffer (`q` of shape `(tokens, heads * headDim)`, head `h` starts at
/// `h * headDim` with `ld = heads * headDim`).
///
/// The usual case, a linear layer `y = x Wᵀ`:
/// ```swift
/// // x (tokens, in), W (out, in), y (tokens, out)
/// BLAS.gemm(transposeB: true, m: tokens, n: out, k: in, a: x, lda: in, b: W, ldb: in, c: y, ldc: out)
/// ```
/// Threading: OpenBLAS keeps one process-wide thread pool; `setThreads` changes it for every caller.
/// Does not: check bounds (callers size their buffers from the config; see `Workspace`).
public enum BLAS {
    /// `C (m×n) = alpha · op(A) (m×k) · op(B) (k×n) + beta · C`, where `op(X)` is `Xᵀ` when asked.
    /// With `transposeA`, `A` is stored `(k, m)`; with `transposeB`, `B` is stored `(n, k)`.
    @inline(__always)
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `y (m) = alpha · A (m×n) · x (n) + beta · y`, `A` row-major with leading dimension `lda`.
    @inline(__always)
    public static func gemv(m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// True when OpenBLAS runs its generic fallback kernels ("Prescott", SSE3: Debian's 0.3.21 on a
    /// Sapphire Rapids Xeon, a CPU it does not know), which are slower and sum a product in an order
    /// that depends on its row count; `OPENBLAS_CORETYPE=SkylakeX` picks the AVX-512 kernels (``coreName``).
    public static var genericKernels: Bool { coreName.lowercased() == "prescott" }

    /// Sets OpenBLAS's thread count for the whole process (nil: the cores available to it).
    public static func setThreads(_ count: Int?) {
        let threads = max(1, count ?? ProcessInfo.processInfo.activeProcessorCount)
        openblas_set_num_threads(Int32(threads))
    }

    /// OpenBLAS's current thread count.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The kernel family OpenBLAS chose for this CPU, e.g. "Cooperlake". Debian's 0.3.21 (DYNAMIC_ARCH)
    /// picks its AVX-512 `Cooperlake` kernels on the Zen 4 development VM (checked with
    /// `openblas_get_corename()`, issue 17), but may fall back to generic kernels on CPUs it does not
    /// know; set `OPENBLAS_CORETYPE` (e.g. `Haswell` or `SkylakeX`) in the environment before the
    /// process starts to choose one (docs/ENGINE.md). `drgcoder bench` prints this name.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}

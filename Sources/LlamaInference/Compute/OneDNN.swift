import COneDNNMatmul

/// The linear layer `y = x Wᵀ` through oneDNN's matmul (`Sources/COneDNNMatmul`), for f32 weights and
/// for bf16 weights × bf16-rounded activations, read in place from the mapped checkpoint.
///
/// Why (issue 17, docs/ENGINE.md "Native kernels"): measured on this Zen 4 per CPU-second, oneDNN's
/// f32 matmul does ~1.13× the work of OpenBLAS's sgemm and its bf16 matmul (`vdpbf16ps`) ~4× our own
/// bf16 tile kernel, and its OpenMP threads keep their share of a busy machine the way llama.cpp's do.
/// Chosen by ``NativeKernels/oneDNN``; `DRGCODER_KERNELS=widen` goes back to OpenBLAS everywhere.
///
/// Example: `OneDNN.product(.f32, x, tokens: 512, columns: 4096, weights: w, rows: 4096, into: y, ldy: 4096, threads: 2)`.
/// Returns false when oneDNN could not build or run the product (the caller takes its other path).
enum OneDNN {
    enum Element { case f32, bf16 }

    static func product(_ element: Element, _ x: UnsafeRawPointer, tokens: Int, columns: Int, weights: UnsafeRawPointer,
                        rows: Int, into y: UnsafeMutablePointer<Float>, ldy: Int, threads: Int) -> Bool {
        let type = element == .f32 ? Int32(ODM_F32) : Int32(ODM_BF16)
        return odm_matmul(type, x, tokens, columns, weights, rows, y, ldy, Int32(max(threads, 1))) == 0
    }
}

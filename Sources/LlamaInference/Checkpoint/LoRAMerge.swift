/// Merges one LoRA update into its weight: **W′ = W + s · B · A**.
///
/// Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models" (arXiv:2106.09685), eq. 3:
/// `h = W₀x + ΔW x = W₀x + B A x`, scaled by `s = α / r` (§4.1), or `α / √r` for rsLoRA. Merging once
/// at load makes the adapted model exactly as fast as the base. Shapes: `W (out, in)`, `B (out, r)`,
/// `A (r, in)`, all row-major; the product goes through the BLAS seam (`C = s·B·A + 1·C`).
///
/// The sum is always computed in f32. An f32 `W` gives an owned f32 matrix. A half `W` (f16/bf16)
/// gives, by default, an owned matrix **in the same half format**, `W′` rounded to nearest even — what
/// PEFT's `merge_and_unload()` does on a model loaded in that dtype — so a 7B f16 checkpoint with
/// DRG-LLaMA's q/k/v/o adapter needs +4.3 GB for the merged copies, not the +8.6 GB of f32 copies.
/// The rounding is that of the checkpoint's own weights (|ΔW′| ≤ 2⁻¹¹·|W′| for f16, 2⁻⁸ for bf16);
/// PEFT's *unmerged* forward on the half model would round `W` and `BAx` separately instead.
/// `keepHalf: false` keeps the f32 result for a half `W` too (twice the memory; tests compare the two).
/// `scratch` (at least `rows × columns` floats, else ignored) holds the f32 sum of a half merge, so
/// that merging many matrices does not allocate and fault in a fresh f32 buffer for each.
/// Does not: unmerge, or merge several adapters.
func mergeLoRA(into weight: WeightMatrix, update: LoRAAdapter.Update, keepHalf: Bool = true,
               scratch: FloatBuffer? = nil) -> WeightMatrix {
    let rank = update.a.elementCount / max(weight.columns, 1)          // shapes checked by LlamaWeights.load
    let roundsToHalf = keepHalf && weight.isHalf
    let merged: FloatBuffer                                             // (out, in) f32
    if roundsToHalf, let scratch, scratch.count >= weight.rows * weight.columns {
        merged = scratch
    } else {
        merged = FloatBuffer(count: weight.rows * weight.columns)
    }
    weight.widenRows(0, count: weight.rows, into: merged.pointer)
    let a = WeightMatrix(view: update.a, rows: rank, columns: weight.columns).widenedCopy()   // (r, in)
    let b = WeightMatrix(view: update.b, rows: weight.rows, columns: rank).widenedCopy()      // (out, r)
    BLAS.gemm(m: weight.rows, n: weight.columns, k: rank, alpha: update.scale,
              a: b.pointer, lda: rank, b: a.pointer, ldb: weight.columns,
              beta: 1, c: merged.pointer, ldc: weight.columns)
    guard roundsToHalf, case .half(_, let format) = weight.storage else {
        return WeightMatrix(owned: merged, rows: weight.rows, columns: weight.columns)
    }
    let halves = HalfBuffer(count: weight.rows * weight.columns)        // (out, in) in W's format
    format.narrow(merged.pointer, into: halves.pointer, count: halves.count)
    return WeightMatrix(owned: halves, format: format, rows: weight.rows, columns: weight.columns)
}

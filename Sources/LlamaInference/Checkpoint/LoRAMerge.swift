/// Merges one LoRA update into its weight: **W′ = W + s · B · A**.
///
/// Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models" (arXiv:2106.09685), eq. 3:
/// `h = W₀x + ΔW x = W₀x + B A x`, scaled by `s = α / r` (§4.1), or `α / √r` for rsLoRA. Merging once
/// at load makes the adapted model exactly as fast as the base. Shapes: `W (out, in)`, `B (out, r)`,
/// `A (r, in)`, all row-major; the product goes through the BLAS seam (`C = s·B·A + 1·C`).
///
/// The merged weight is an owned f32 matrix even when `W` was f16/bf16: rounding `W + sBA` back to 16
/// bits would erase most of a small update (PEFT's own unmerged forward keeps it exact, and so do we).
/// This costs 2× memory on targeted matrices only (q/k/v/o of a 7B model: +4.3 GB over f16).
/// Does not: unmerge, or merge several adapters.
func mergeLoRA(into weight: WeightMatrix, update: LoRAAdapter.Update) -> WeightMatrix {
    let rank = update.a.elementCount / max(weight.columns, 1)          // shapes checked by LlamaWeights.load
    let merged = weight.widenedCopy()                                   // (out, in)
    let a = WeightMatrix(view: update.a, rows: rank, columns: weight.columns).widenedCopy()   // (r, in)
    let b = WeightMatrix(view: update.b, rows: weight.rows, columns: rank).widenedCopy()      // (out, r)
    BLAS.gemm(m: weight.rows, n: weight.columns, k: rank, alpha: update.scale,
              a: b.pointer, lda: rank, b: a.pointer, ldb: weight.columns,
              beta: 1, c: merged.pointer, ldc: weight.columns)
    return WeightMatrix(owned: merged, rows: weight.rows, columns: weight.columns)
}

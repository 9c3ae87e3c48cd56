/// Applies one LoRA update to its weight: **W′ = W + s · B · A**.
///
/// Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models" (arXiv:2106.09685), eq. 3:
/// `h = W₀x + ΔW x = W₀x + B A x`, scaled by `s = α / r` (§4.1), or `α / √r` for rsLoRA. Shapes:
/// `W (out, in)`, `B (out, r)`, `A (r, in)`, all row-major.
///
/// - An f32 `W` is merged once at load, into an owned f32 matrix (the product goes through the BLAS
///   seam, `C = s·B·A + 1·C`), which makes the adapted model exactly as fast as the base.
/// - A half `W` (f16/bf16) stays as mapped, with `A` and `B` widened to f32 beside it
///   (``LowRankUpdate``): the layer computes `W x + s·B(A x)` in f32, which is what PEFT computes on
///   the model DRG-LLaMA's scripts evaluate (base weights cast to f32, LoRA unmerged). Merging into
///   the half weight instead would round `W + s·B·A` to 16 bits and move a tiny model's logits by up
///   to 1e-3 (measured on Fixtures/drg-llama-2023); keeping an f32 copy would cost 4.3 GB on a 7B.
///
/// Does not: unmerge, or merge several adapters.
func mergeLoRA(into weight: WeightMatrix, update: LoRAAdapter.Update) -> WeightMatrix {
    let rank = update.a.elementCount / max(weight.columns, 1)          // shapes checked by LlamaWeights.load
    let a = WeightMatrix(view: update.a, rows: rank, columns: weight.columns).widenedCopy()   // (r, in)
    let b = WeightMatrix(view: update.b, rows: weight.rows, columns: rank).widenedCopy()      // (out, r)
    if weight.isHalf {
        return weight.adding(LowRankUpdate(a: a, b: b, rank: rank, scale: update.scale))
    }
    let merged = FloatBuffer(count: weight.rows * weight.columns)      // (out, in) f32
    weight.widenRows(0, count: weight.rows, into: merged.pointer)
    BLAS.gemm(m: weight.rows, n: weight.columns, k: rank, alpha: update.scale,
              a: b.pointer, lda: rank, b: a.pointer, ldb: weight.columns,
              beta: 1, c: merged.pointer, ldc: weight.columns)
    return WeightMatrix(owned: merged, rows: weight.rows, columns: weight.columns)
}

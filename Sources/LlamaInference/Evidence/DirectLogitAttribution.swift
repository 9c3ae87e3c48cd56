/// The cheap, class-specific evidence method: **direct logit attribution** (DLA) through the
/// attention of the last K decoder layers, computed from what one forward pass already produced.
///
/// The classifier reads the pooled position `p` (the last token): `logits = W · norm(x_p)`. Every
/// layer ℓ adds its attention output to `x_p`, and that output splits exactly over source tokens:
/// ```
/// attn_ℓ(x)_p = Σ_j Σ_h a_ℓ[h, p, j] · W_o[:, h] · v_ℓ[kv(h), j]        (W_o[:, h]: D × d block of head h)
/// ```
/// For a target (``EvidenceTarget``) with direction `g = ∂ log P / ∂ norm(x_p)` (``TargetObjective/direction(head:)``),
/// linearise the final RMSNorm at the actual `x_p` (its Jacobian, not just its scale):
/// ```
/// u = Jᵀ g,   u_k = s·w_k·g_k − (s³/D)·x_k·Σ_i g_i w_i x_i,   s = 1/√(mean(x_p²) + ε)
/// ```
/// and score source token j by what its direct paths add along `u`:
/// ```
/// score_j = Σ_{ℓ in last K} Σ_h a_ℓ[h, p, j] · ⟨ (W_oᵀ u)_h , v_ℓ[kv(h), j] ⟩
/// ```
/// Positive scores raise `log P(target)` to first order. (Elhage et al. 2021, "A Mathematical
/// Framework for Transformer Circuits", direct path; nostalgebraist's logit lens for the norm.)
///
/// **Cost** (per target, on top of the forward pass): one `W_oᵀ u` product per captured layer
/// (`D·H·d` multiply-adds) plus `T·H·d` for the scores — for LLaMA-7B, 512 tokens, K = 8, two
/// targets: ≈ 0.27 G multiply-adds against ≈ 3.4 T for the forward pass (under 0.01%); the copies into
/// ``AttentionCapture`` are `K·T·(H + G·d)` floats. Several targets share one read of each `W_o`.
///
/// **What it misses**: (1) everything that is not a direct attention path into `x_p` in the last K
/// layers — the pooled token's own MLPs and residual, paths through later layers' attention or MLPs
/// (a token's influence routed via other positions), and all layers before the last K; (2) the value
/// vector `v_ℓ[j]` at layer ℓ already mixes earlier context, so "token j" means "what sits at
/// position j by layer ℓ"; (3) it is first order: saturated softmaxes and the attention pattern's own
/// dependence on the target are ignored. Sentence occlusion (``SentenceOcclusion``) measures instead
/// of linearising, at one forward pass per sentence.
extension DirectLogitAttribution {
    /// One score per token position (`capture.tokens` of them) for each direction.
    ///
    /// - Parameters:
    ///   - capture: filled by the forward pass that produced the logits.
    ///   - outputProjections: `W_o (D, H·d)` of each captured layer, slot order.
    ///   - finalNorm: `model.norm`'s weight (D) and ε.
    ///   - directions: target directions in the final-normed pooled space (D each).
    ///   - rollout: carry each layer's scores down through the captured layers below it by attention
    ///     rollout (see ``rollOut(_:capture:)``); false — or a capture too long to keep the rollout
    ///     matrices (``AttentionCapture/rolloutTokenLimit``) — sums the layers' direct scores as they are.
    public static func tokenScores(capture: AttentionCapture, outputProjections: [some RowSource],
                                   finalNormWeight: [Float], epsilon: Float, directions: [[Float]],
                                   rollout: Bool = true) throws -> [[Float]] {
        let hidden = capture.hidden, width = capture.heads * capture.headDim
        guard outputProjections.count == capture.layers else {
            throw EvidenceError.captureMismatch("\(outputProjections.count) output projections for \(capture.layers) captured layers")
        }
        guard finalNormWeight.count == hidden, directions.allSatisfy({ $0.count == hidden }),
              outputProjections.allSatisfy({ $0.rows == hidden && $0.columns == width }) else {
            throw EvidenceError.captureMismatch("hidden size \(hidden) / heads·head_dim \(width)")
        }
        let residual = capture.residual
        let pulled = directions.map { normPullback($0, at: residual, weight: finalNormWeight, epsilon: epsilon) }
        let zeros = [Float](repeating: 0, count: capture.tokens)
        // perLayer[t][slot]: the direct scores of one captured layer.
        var perLayer = [[[Float]]](repeating: [[Float]](repeating: zeros, count: capture.layers), count: directions.count)
        var tile = [Float](repeating: 0, count: tileRows * width)
        for (slot, projection) in outputProjections.enumerated() {
            let perHead = transposedProducts(projection, pulled, tile: &tile)       // (targets, H·d)
            for t in directions.indices {
                accumulate(slot: slot, capture, perHead[t], into: &perLayer[t][slot])
            }
        }
        return perLayer.map { layers in
            rollout && capture.keepsMeanAttention ? rollOut(layers, capture: capture)
                    : layers.reduce(zeros) { total, layer in zip(total, layer).map { $0 + $1 } }
        }
    }

    /// Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers") over
    /// the captured layers: a score at position j of layer ℓ's input is credit for what sits at j by
    /// then, which layer ℓ − 1 gathered from the positions it attended. Going down from the top,
    /// `acc ← Rᵀ acc + direct_ℓ` with `R = ½ I + ½ Ā_ℓ` (Ā: the head-averaged attention; rows sum
    /// to one, so the total is kept). It moves credit off late positions that merely summarise
    /// the note back onto the words summarised; it ignores MLPs and the layers below the captured ones.
    static func rollOut(_ layers: [[Float]], capture: AttentionCapture) -> [Float] {
        guard var acc = layers.last else { return [] }
        let tokens = capture.tokens
        for slot in stride(from: layers.count - 2, through: 0, by: -1) {
            var next = layers[slot]
            for j in 0..<tokens where acc[j] != 0 {
                let share = 0.5 * acc[j]
                next[j] += share
                for i in 0...j { next[i] += share * capture.meanAttentionWeight(slot: slot, from: j, to: i) }
            }
            acc = next
        }
        return acc
    }

    /// `Jᵀ g` for `y = w ⊙ x · s`, `s = 1/√(mean(x²) + ε)` (the final RMSNorm at `x`).
    public static func normPullback(_ g: [Float], at x: [Float], weight w: [Float], epsilon: Float) -> [Float] {
        let count = Float(x.count)
        var sumOfSquares: Float = 0, projection: Float = 0
        for i in x.indices { sumOfSquares += x[i] * x[i]; projection += g[i] * w[i] * x[i] }
        let s = 1 / (sumOfSquares / count + epsilon).squareRoot()
        let correction = s * s * s / count * projection
        return x.indices.map { s * w[$0] * g[$0] - correction * x[$0] }
    }

    /// Rows of `W_o` widened per BLAS call (`tileRows × H·d` floats of scratch).
    static let tileRows = 256

    /// `W_oᵀ u` for every `u` (one read of `W_o`, a tile of rows at a time, through the BLAS seam):
    /// `out (targets, H·d) += U[:, tile] (targets, rows) · W_o[tile, :] (rows, H·d)`.
    static func transposedProducts(_ w: some RowSource, _ us: [[Float]], tile: inout [Float]) -> [[Float]] {
        let columns = w.columns, targets = us.count, rows = w.rows
        guard targets > 0, columns > 0, rows > 0 else { return [[Float]](repeating: [], count: targets) }
        var u = [Float](repeating: 0, count: targets * rows)            // (targets, D), row-major
        for t in 0..<targets { for r in 0..<rows { u[t * rows + r] = us[t][r] } }
        var out = [Float](repeating: 0, count: targets * columns)
        var first = 0
        while first < rows {
            let count = min(tileRows, rows - first)
            tile.withUnsafeMutableBufferPointer { tileBuffer in
                guard let tileBase = tileBuffer.baseAddress else { return }
                w.widenRows(first, count: count, into: tileBase)
                u.withUnsafeBufferPointer { uBuffer in
                    out.withUnsafeMutableBufferPointer { outBuffer in
                        guard let uBase = uBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return }
                        BLAS.gemm(m: targets, n: columns, k: count, a: uBase + first, lda: rows,
                                  b: tileBase, ldb: columns, beta: 1, c: outBase, ldc: columns)
                    }
                }
            }
            first += count
        }
        return (0..<targets).map { Array(out[($0 * columns)..<(($0 + 1) * columns)]) }
    }

    /// `scores[j] += Σ_h a[h, j] · ⟨g_h, v[kv(h), j]⟩` for one captured layer.
    static func accumulate(slot: Int, _ capture: AttentionCapture, _ g: [Float], into scores: inout [Float]) {
        let d = capture.headDim, kvWidth = capture.kvHeads * d
        let group = max(capture.heads / max(capture.kvHeads, 1), 1)
        let values = capture.values + slot * capture.capacity * kvWidth
        g.withUnsafeBufferPointer { g in
            for j in 0..<capture.tokens {
                let v = values + j * kvWidth
                var total: Float = 0
                for h in 0..<capture.heads {
                    let a = capture.attentionWeight(slot: slot, head: h, to: j)
                    if a == 0 { continue }
                    let vh = v + (h / group) * d, gh = h * d
                    var dot: Float = 0
                    for i in 0..<d { dot += g[gh + i] * vh[i] }
                    total += a * dot
                }
                scores[j] += total
            }
        }
    }
}

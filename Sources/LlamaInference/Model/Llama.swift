import Foundation

// The LLaMA forward pass (Touvron et al. 2023, arXiv:2302.13971) as transformers' `modeling_llama.py`
// computes it, in float32, written to be read against the equations. `T` is the number of tokens,
// `D` the hidden size, `d` the head dimension; buffers come from the `Workspace` (see its shapes).

/// `y = x / √(mean(x²) + ε) ⊙ w`, row by row (Zhang & Sennrich 2019, RMSNorm).
struct RMSNorm {
    let weight: [Float]          // (D)
    let epsilon: Float

    func callAsFunction(_ x: UnsafePointer<Float>, tokens: Int, into y: UnsafeMutablePointer<Float>) {
        let width = weight.count
        weight.withUnsafeBufferPointer { w in
            for t in 0..<tokens {
                let row = x + t * width, out = y + t * width
                var sumOfSquares: Float = 0
                for i in 0..<width { sumOfSquares += row[i] * row[i] }
                let scale = 1 / (sumOfSquares / Float(width) + epsilon).squareRoot()
                for i in 0..<width { out[i] = w[i] * (row[i] * scale) }
            }
        }
    }
}

/// Grouped-query self-attention with a causal mask (Ainslie et al. 2023, GQA): query head `h`
/// reads key/value head `h / (heads / kvHeads)`.
/// `out = o( softmax(q kᵀ / √d + causal) v )` with `q = rope(x Wqᵀ)`, `k = rope(x Wkᵀ)`, `v = x Wvᵀ`.
///
/// One call handles a chunk of `C` tokens at positions `first ..< first + C` (llama.cpp's "ubatch"):
/// their keys and values go into rows `first ..< first + C` of the whole `k`, `v` (the earlier chunks'
/// rows are already there), and each of their queries attends to every key up to its own position.
/// Because the keys and values are kept whole, the answer is that of one call over all tokens (bit for
/// bit where the projections sum each token in the same order whatever the batch).
struct Attention {
    let q: WeightMatrix          // (heads·d, D)
    let k: WeightMatrix          // (kvHeads·d, D)
    let v: WeightMatrix          // (kvHeads·d, D)
    let o: WeightMatrix          // (D, heads·d)
    let heads: Int, kvHeads: Int, headDim: Int
    let rotary: RotaryEmbedding

    func callAsFunction(_ x: UnsafePointer<Float>, first: Int, tokens: Int, into out: UnsafeMutablePointer<Float>,
                        _ ws: Workspace, _ tile: WideningTile, capture: CaptureSlot? = nil) {
        storeKeysAndValues(x, first: first, tokens: tokens, ws, tile)
        attend(x, first: first, tokens: tokens, into: out, ws, tile, capture: capture)
    }

    /// `k = rope(x Wkᵀ)`, `v = x Wvᵀ` of the chunk, into rows `first ..< first + C` of the whole `k`, `v`.
    func storeKeysAndValues(_ x: UnsafePointer<Float>, first: Int, tokens: Int, _ ws: Workspace, _ tile: WideningTile) {
        let kvWidth = kvHeads * headDim, half = headDim / 2
        let keysHere = ws.k.pointer + first * kvWidth, valuesHere = ws.v.pointer + first * kvWidth
        k.product(x, tokens: tokens, into: keysHere, tile: tile)                   // rows first..< of (T, kvHeads·d)
        v.product(x, tokens: tokens, into: valuesHere, tile: tile)                 // rows first..< of (T, kvHeads·d)
        rotary.apply(keysHere, tokens: tokens, heads: kvHeads, cos: ws.cos.pointer + first * half,
                     sin: ws.sin.pointer + first * half)
    }

    /// The chunk's queries over the keys stored so far (up to each query's own position), then `o`.
    func attend(_ x: UnsafePointer<Float>, first: Int, tokens: Int, into out: UnsafeMutablePointer<Float>,
                _ ws: Workspace, _ tile: WideningTile, capture: CaptureSlot? = nil) {
        let qWidth = heads * headDim, kvWidth = kvHeads * headDim, half = headDim / 2
        q.product(x, tokens: tokens, into: ws.q.pointer, tile: tile)               // (C, heads·d)
        rotary.apply(ws.q.pointer, tokens: tokens, heads: heads, cos: ws.cos.pointer + first * half,
                     sin: ws.sin.pointer + first * half)

        let scale = 1 / Float(headDim).squareRoot()
        let group = heads / kvHeads
        let scores = ws.scores.pointer                                              // (B, T)
        for head in 0..<heads {
            let kvHead = head / group
            let qh = ws.q.pointer + head * headDim, kh = ws.k.pointer + kvHead * headDim
            let vh = ws.v.pointer + kvHead * headDim, ah = qh   // attended_h over q_h, block by block
            // Query rows in blocks of B; the block at position p = first + row sees keys 0..<p+rows (causal).
            var row = 0
            while row < tokens {
                let rows = min(Workspace.attentionBlock, tokens - row), position = first + row, keys = position + rows
                // scores = q_h k_hᵀ / √d                                              (rows, keys)
                BLAS.gemm(transposeB: true, m: rows, n: keys, k: headDim, alpha: scale,
                          a: qh + row * qWidth, lda: qWidth, b: kh, ldb: kvWidth, c: scores, ldc: keys)
                causalSoftmax(scores, rows: rows, keys: keys, firstRow: position, threads: tile.threads)
                capture?.recordAttention(head: head, block: scores, firstRow: position, rows: rows, keys: keys)  // evidence
                // attended_h = softmax(scores) v_h, over this block's q_h (read above)  (rows, d)
                BLAS.gemm(m: rows, n: headDim, k: keys, a: scores, lda: keys, b: vh, ldb: kvWidth,
                          c: ah + row * qWidth, ldc: qWidth)
                row += rows
            }
        }
        o.product(ws.q.pointer, tokens: tokens, into: out, tile: tile)             // (C, D): o(attended)
    }

    /// Row `r` (query position `firstRow + r`) becomes softmax over keys `0...firstRow + r`;
    /// the later keys (the future) become 0. Rows are split across `threads`.
    private func causalSoftmax(_ scores: UnsafeMutablePointer<Float>, rows: Int, keys: Int, firstRow: Int, threads: Int) {
        Parallel.chunks(rows, threads: threads, minimumChunk: 8) { range in
            for r in range {
                let row = scores + r * keys, last = firstRow + r
                var maximum = -Float.infinity
                for j in 0...last { maximum = max(maximum, row[j]) }
                var sum: Float = 0
                for j in 0...last { row[j] = Foundation.exp(row[j] - maximum); sum += row[j] }
                let inverse = 1 / sum
                for j in 0...last { row[j] *= inverse }
                for j in (last + 1)..<keys { row[j] = 0 }
            }
        }
    }
}

/// SwiGLU feed-forward (Shazeer 2020): `down( silu(x Wgateᵀ) ⊙ (x Wupᵀ) )`, `silu(z) = z·σ(z)`.
struct MLP {
    let gate: WeightMatrix       // (intermediate, D)
    let up: WeightMatrix         // (intermediate, D)
    let down: WeightMatrix       // (D, intermediate)

    /// `ws.mlpTokens` tokens at a time (each token's answer is the same either way).
    func callAsFunction(_ x: UnsafePointer<Float>, tokens: Int, into out: UnsafeMutablePointer<Float>,
                        _ ws: Workspace, _ tile: WideningTile) {
        var first = 0
        while first < tokens {
            let count = min(ws.mlpTokens, tokens - first)
            chunk(x + first * gate.columns, tokens: count, into: out + first * down.rows, ws, tile)
            first += count
        }
    }

    private func chunk(_ x: UnsafePointer<Float>, tokens: Int, into out: UnsafeMutablePointer<Float>,
                       _ ws: Workspace, _ tile: WideningTile) {
        gate.product(x, tokens: tokens, into: ws.gate.pointer, tile: tile)          // (M, intermediate)
        up.product(x, tokens: tokens, into: ws.up.pointer, tile: tile)              // (M, intermediate)
        let g = ws.gate.pointer, u = ws.up.pointer
        Parallel.chunks(tokens * gate.rows, threads: tile.threads, minimumChunk: 4_096) { range in
            for i in range { g[i] = g[i] / (1 + Foundation.exp(-g[i])) * u[i] }     // silu(gate) ⊙ up
        }
        down.product(g, tokens: tokens, into: out, tile: tile)                     // (M, D)
    }
}

/// One decoder layer, pre-norm with literal residuals:
/// `h = x + attention(norm₁(x))`, then `x′ = h + mlp(norm₂(h))`.
///
/// Runs `ws.layerTokens` tokens at a time, in order: a chunk's attention needs only the keys and
/// values of its own and earlier positions (``Attention``), and the norms and the MLP treat every token
/// on its own, so each token's answer is that of one pass over all tokens (up to the summation order
/// of products whose kernel depends on the batch size: `ChunkedPrefillTests`), while `normed`,
/// `delta`, `q`, `gate` and `up` hold one chunk instead of the whole input.
struct Block {
    let inputNorm: RMSNorm
    let attention: Attention
    let postAttentionNorm: RMSNorm
    let mlp: MLP

    func callAsFunction(_ x: UnsafeMutablePointer<Float>, tokens: Int, _ ws: Workspace, _ tile: WideningTile,
                        capture: CaptureSlot? = nil) {
        let width = inputNorm.weight.count
        var first = 0
        while first < tokens {
            let count = min(ws.layerTokens, tokens - first), chunk = x + first * width, n = count * width
            inputNorm(chunk, tokens: count, into: ws.normed.pointer)
            attention(ws.normed.pointer, first: first, tokens: count, into: ws.delta.pointer, ws, tile, capture: capture)
            for i in 0..<n { chunk[i] += ws.delta.pointer[i] }                     // h = x + attention(norm₁(x))
            postAttentionNorm(chunk, tokens: count, into: ws.normed.pointer)
            mlp(ws.normed.pointer, tokens: count, into: ws.delta.pointer, ws, tile)
            for i in 0..<n { chunk[i] += ws.delta.pointer[i] }                     // x′ = h + mlp(norm₂(h))
            first += count
        }
        capture?.recordValues(ws.v.pointer)                                        // evidence: v (before RoPE), all tokens
    }

    /// The last layer when only the last token's output is read (the classifier's pooled position;
    /// llama.cpp does the same for the tokens whose logits it does not output): every token's key and
    /// value (the last query attends to them all), then the query, attention, `o`, norm and MLP of the
    /// last token alone. The last row of `x` becomes what ``callAsFunction`` leaves there (up to the
    /// summation order of one-token products); the other rows are left as they came in (nothing reads
    /// them). On a 7B this skips about 2.6% of the work (k and v are ~17% of a layer's projections); on
    /// the two-layer bench model, about 42%. Evidence capture works the same: its top slot (always the
    /// last layer) keeps only the pooled row's attention and every position's values.
    func lastTokenOnly(_ x: UnsafeMutablePointer<Float>, tokens: Int, _ ws: Workspace, _ tile: WideningTile,
                       capture: CaptureSlot? = nil) {
        let width = inputNorm.weight.count
        var first = 0
        while first < tokens {
            let count = min(ws.layerTokens, tokens - first)
            inputNorm(x + first * width, tokens: count, into: ws.normed.pointer)
            attention.storeKeysAndValues(ws.normed.pointer, first: first, tokens: count, ws, tile)
            first += count
        }
        capture?.recordValues(ws.v.pointer)                                        // evidence: v (before RoPE), all tokens
        let last = x + (tokens - 1) * width
        inputNorm(last, tokens: 1, into: ws.normed.pointer)
        attention.attend(ws.normed.pointer, first: tokens - 1, tokens: 1, into: ws.delta.pointer, ws, tile, capture: capture)
        for i in 0..<width { last[i] += ws.delta.pointer[i] }                      // h = x + attention(norm₁(x))
        postAttentionNorm(last, tokens: 1, into: ws.normed.pointer)
        mlp(ws.normed.pointer, tokens: 1, into: ws.delta.pointer, ws, tile)
        for i in 0..<width { last[i] += ws.delta.pointer[i] }                      // x′ = h + mlp(norm₂(h))
    }
}

/// Token embedding, the decoder stack and the final norm (transformers' `LlamaModel`), returning the
/// final-normed hidden state of one position: the one the classifier head reads.
struct LlamaModel {
    let embedTokens: WeightMatrix    // (vocab, D)
    let layers: [Block]
    let norm: RMSNorm
    let rotary: RotaryEmbedding
    init(config: LlamaConfig, weights: LlamaWeights) throws {
        let rotary = RotaryEmbedding(rope: try config.resolvedRope(), headDim: config.headDimension)
        self.rotary = rotary
        embedTokens = weights.embedTokens
        norm = RMSNorm(weight: weights.norm, epsilon: config.epsilon)
        layers = weights.layers.map { w in
            Block(inputNorm: RMSNorm(weight: w.inputNorm, epsilon: config.epsilon),
                  attention: Attention(q: w.q, k: w.k, v: w.v, o: w.o, heads: config.numAttentionHeads,
                                       kvHeads: config.kvHeads, headDim: config.headDimension, rotary: rotary),
                  postAttentionNorm: RMSNorm(weight: w.postAttentionNorm, epsilon: config.epsilon),
                  mlp: MLP(gate: w.gate, up: w.up, down: w.down))
        }
    }

    /// Runs `tokenIDs` (already checked to be in the vocabulary, count ≤ `ws.capacity`) and leaves
    /// `norm(h_last)` in `ws.pooled`. Checks `isCancelled` before every layer. `pruneLastLayer`: the
    /// last layer's queries, attention output and MLP run for the last token only
    /// (``Block/lastTokenOnly(_:tokens:_:_:capture:)``), with or without evidence capture.
    func callAsFunction(_ tokenIDs: [Int], _ ws: Workspace, threads: Int, pruneLastLayer: Bool = true,
                        isCancelled: () -> Bool, progress: ((Double) -> Void)?, capture: AttentionCapture? = nil) throws {
        let tokens = tokenIDs.count, hidden = embedTokens.columns
        let tile = ws.wideningTile(threads: threads)
        for (t, id) in tokenIDs.enumerated() {
            embedTokens.gatherRows(id, count: 1, into: ws.x.pointer + t * hidden)    // x = embed(ids) (T, D)
        }
        rotary.fillTables(tokens: tokens, cos: ws.cos.pointer, sin: ws.sin.pointer)
        capture?.begin(tokens: tokens)
        for (index, layer) in layers.enumerated() {
            if isCancelled() { throw CancellationError() }
            let slot = capture.flatMap { c in c.slot(forLayer: index).map { CaptureSlot(buffers: c, slot: $0) } }
            if index == layers.count - 1 && pruneLastLayer {
                layer.lastTokenOnly(ws.x.pointer, tokens: tokens, ws, tile, capture: slot)   // only h_last is read below
            } else {
                layer(ws.x.pointer, tokens: tokens, ws, tile, capture: slot)
            }
            progress?(Double(index + 1) / Double(layers.count))
        }
        capture?.recordFinalResidual(ws.x.pointer + (tokens - 1) * hidden)           // evidence: x_p before the norm
        norm(ws.x.pointer + (tokens - 1) * hidden, tokens: 1, into: ws.pooled.pointer)
    }
}

/// `LlamaForSequenceClassification.score`: `logits = W h` with no bias, `W (labels, D)`.
struct ClassifierHead {
    let score: WeightMatrix          // (labels, D)

    func callAsFunction(_ hidden: UnsafePointer<Float>, into logits: UnsafeMutablePointer<Float>, _ tile: WideningTile) {
        score.product(hidden, tokens: 1, into: logits, tile: tile)
    }
}

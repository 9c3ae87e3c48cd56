/// Scratch memory for one forward pass over up to `capacity` tokens, sized from the config once.
///
/// The forward pass allocates nothing: every intermediate lives in one of these buffers, reused
/// layer after layer. Each layer runs `C = layerTokens` tokens at a time (`Block`), so only the
/// residual stream and the keys and values are sized for the whole input. Shapes (row-major,
/// `T = capacity`):
/// ```
/// x         (T, hidden)             the residual stream
/// normed    (C, hidden)             RMSNorm output of one chunk, input of every projection
/// delta     (C, hidden)             attention / MLP output of one chunk before it is added to x
/// q         (C, heads·headDim)      one chunk's queries, then rotated; then softmax(q kᵀ / √d) v, all
///                                   heads side by side, written over each block of queries once read
/// k, v      (T, kvHeads·headDim)    keys (rotated) and values of every position so far
/// scores    (B, T)                  one head's attention rows for a block of B queries
/// gate, up  (M, intermediate)       SwiGLU halves for M = `mlpTokens` tokens at a time; gate becomes
///                                   silu(gate) ⊙ up
/// cos, sin  (T, headDim / 2)        rotary tables for positions 0..<T
/// tile      (≤ 8M floats)           f16/bf16 weights widened a tile of rows at a time
/// pooled    (hidden)                final-normed hidden state of the pooled token
/// logits    (labels)
/// ```
/// Thread safety: one forward pass at a time (the classifier holds a lock around it).
final class Workspace: @unchecked Sendable {
    /// Floats of half-precision weight widened per BLAS call (32 MB: 2048 rows of a 4096-wide weight).
    ///
    /// Chosen by measurement (docs/ENGINE.md, "Widening tiles"; 7B-shaped layers, 512 tokens, F16C
    /// widening): 4M–32M floats and column blocks were within the noise of this, 2M and less slower
    /// (every sgemm call re-packs `x`; 256K floats, an L2-sized tile, lost 35–40%).
    static let tileCapacity = 8 << 20
    /// Query rows per attention block (B): the score buffer is `B × T`, not `T × T`.
    static let attentionBlock = 128
    /// Tokens per pass through a layer (C) when the weights are read in place
    /// (``WeightMatrix/streamsInPlace(_:)``; `LlamaSequenceClassifier.layerTokens`): one
    /// attention block, so the blocks and their key counts are the very ones of an unchunked pass
    /// (the answers are bit for bit the same, except where a chunk's size moves an f16 product across
    /// the panel kernel's 128-token threshold: another summation order, `ChunkedPrefillTests`). At 512 tokens of a 7B
    /// this shrinks `normed`, `delta` and `q` from 8 MB each to 2 MB, and `gate` and `up` of a
    /// 16-bit model from 22.5 MB each to 5.6 MB.
    static let layerTokens = attentionBlock
    /// Tokens per pass through the MLP of an 8-bit model (``WeightFormat/q8``). The MLP treats every
    /// token on its own, so running it 64 tokens at a time gives the same answer, and the 8-bit kernel
    /// reads the weights once per 64 tokens anyway (`Sources/CWeightKernels`): it costs no speed and
    /// shrinks `gate` and `up` from 2·T·intermediate floats to 2·64·intermediate (45 MB → 5.6 MB at
    /// 512 tokens of a 7B), which is what the 8-bit format is for. Other weights' MLP runs a layer chunk
    /// (``layerTokens``) at a time.
    static let quantizedMLPTokens = 64

    let capacity: Int
    /// Tokens per pass through a layer (C ≤ `capacity`).
    let layerTokens: Int
    /// Tokens per pass through the MLP (C, or ``quantizedMLPTokens`` for an 8-bit model when smaller).
    let mlpTokens: Int
    let x, normed, delta, q, k, v, scores, gate, up, cos, sin, tile, pooled, logits: FloatBuffer

    /// The native kernels the products may use (``NativeKernels``).
    let kernels: NativeKernels

    /// `layerTokens` nil: one pass over all `capacity` tokens.
    init(config: LlamaConfig, labels: Int, capacity: Int, kernels: NativeKernels = .widening, quantizedMLP: Bool = false,
         layerTokens: Int? = nil) {
        self.kernels = kernels
        let chunk = min(capacity, max(1, layerTokens ?? capacity))
        self.layerTokens = chunk
        mlpTokens = quantizedMLP ? min(chunk, Self.quantizedMLPTokens) : chunk
        let hidden = config.hiddenSize, d = config.headDimension
        let qWidth = config.numAttentionHeads * d, kvWidth = config.kvHeads * d, inter = config.intermediateSize
        self.capacity = capacity
        x = FloatBuffer(count: capacity * hidden)
        normed = FloatBuffer(count: chunk * hidden)
        delta = FloatBuffer(count: chunk * hidden)
        q = FloatBuffer(count: chunk * qWidth)
        k = FloatBuffer(count: capacity * kvWidth)
        v = FloatBuffer(count: capacity * kvWidth)
        scores = FloatBuffer(count: min(capacity, Self.attentionBlock) * capacity)
        gate = FloatBuffer(count: mlpTokens * inter)
        up = FloatBuffer(count: mlpTokens * inter)
        cos = FloatBuffer(count: capacity * d / 2)
        sin = FloatBuffer(count: capacity * d / 2)
        let largestMatrix = max(qWidth * hidden, inter * hidden, labels * hidden)
        // Not zeroed, so that its pages stay out of the resident set until a widening product (or a
        // native kernel's activations) first writes them.
        tile = FloatBuffer(uninitializedCount: max(min(Self.tileCapacity, largestMatrix), hidden, inter, qWidth))
        pooled = FloatBuffer(count: hidden)
        logits = FloatBuffer(count: labels)
    }

    func wideningTile(threads: Int) -> WideningTile {
        WideningTile(buffer: tile.pointer, capacity: tile.count, threads: threads, kernels: kernels)
    }
}

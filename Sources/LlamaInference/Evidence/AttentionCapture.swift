/// What the cheap evidence method needs from one forward pass, copied out while the pass runs:
/// for each of the last `layers` decoder layers, every head's attention probabilities *from the
/// pooled position* (one row of the attention matrix) and the value vectors of every position; for
/// every captured layer but the top one, the head-averaged attention matrix (for the rollout); and
/// the pooled position's residual stream before the final RMSNorm.
///
/// Shapes (row-major; `K = layers`, `T ≤ capacity`, `H` heads, `G` kv-heads, `d` head_dim, `D` hidden):
/// ```
/// attention      (K, H, capacity)       attention[k, h, j] = softmax(q_p k_jᵀ/√d)_j, p = pooled (last) position
/// values         (K, capacity, G·d)     v = norm₁(x) W_vᵀ, before any rotation (RoPE touches q and k only)
/// meanAttention  (K − 1, T, T)          (1/H) Σ_h softmax(q k_ᵀ/√d) of captured layers below the top one
///                                       (packed with stride T of the current pass)
/// finalResidual  (D)                    x_p after the last layer, before model.norm
/// ```
/// Memory: `K·(H·T + T·G·d) + (K − 1)·T²` floats; for LLaMA-7B (H = G = 32, d = 128), 512 tokens and
/// K = 8: ≈ 8·2.1 M + 7·0.26 M floats ≈ 75 MB. Allocated once and grown only when a longer input
/// arrives (as the engine's workspace is); the forward pass only copies and adds into it.
///
/// Thread safety: written by the one forward pass that holds the classifier's lock, then read by
/// the attribution that runs under the same caller's lock; `@unchecked Sendable` on that basis.
public final class AttentionCapture: @unchecked Sendable {
    public let layers: Int
    public let firstLayer: Int
    public let heads: Int
    public let kvHeads: Int
    public let headDim: Int
    public let hidden: Int
    public let capacity: Int
    /// Tokens of the last recorded pass (the pooled position is `tokens - 1`).
    public private(set) var tokens: Int = 0
    /// Whether the head-averaged matrices for the rollout are kept (they cost `(K−1)·T²` floats, so
    /// they are skipped above ``rolloutTokenLimit`` tokens).
    public let keepsMeanAttention: Bool
    /// Longest input for which the rollout matrices are kept (2,048 tokens: 7 × 16 MB for K = 8).
    public static let rolloutTokenLimit = 2048

    let attention: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>
    let meanAttention: UnsafeMutablePointer<Float>
    let finalResidual: UnsafeMutablePointer<Float>

    /// Buffers for the last `layers` of `totalLayers` (clamped to `1...totalLayers`).
    public init(layers: Int, totalLayers: Int, heads: Int, kvHeads: Int, headDim: Int, hidden: Int, capacity: Int) {
        let kept = min(max(layers, 1), max(totalLayers, 1))
        self.layers = kept
        firstLayer = max(totalLayers - kept, 0)
        self.heads = heads; self.kvHeads = kvHeads; self.headDim = headDim; self.hidden = hidden
        self.capacity = max(capacity, 1)
        attention = Self.zeros(kept * heads * self.capacity)
        values = Self.zeros(kept * self.capacity * kvHeads * headDim)
        keepsMeanAttention = self.capacity <= Self.rolloutTokenLimit
        meanAttention = Self.zeros(keepsMeanAttention ? (kept - 1) * self.capacity * self.capacity : 0)
        finalResidual = Self.zeros(hidden)
    }

    private static func zeros(_ count: Int) -> UnsafeMutablePointer<Float> {
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        return pointer
    }

    deinit {
        attention.deallocate(); values.deallocate(); meanAttention.deallocate(); finalResidual.deallocate()
    }

    /// The capture slot of decoder layer `layer`, or nil when that layer is not captured.
    @inline(__always)
    public func slot(forLayer layer: Int) -> Int? {
        layer >= firstLayer && layer < firstLayer + layers ? layer - firstLayer : nil
    }

    // MARK: Hooks the forward pass calls (copies and adds only; nothing allocates)

    /// Starts a pass over `tokens` tokens (≤ `capacity`): clears the mean attention matrices.
    public func begin(tokens: Int) {
        self.tokens = min(tokens, capacity)
        if keepsMeanAttention { meanAttention.update(repeating: 0, count: (layers - 1) * self.tokens * self.tokens) }
    }

    /// Copies the value projection `v (tokens, G·d)` of captured layer `slot`.
    public func recordValues(slot: Int, _ v: UnsafePointer<Float>) {
        let width = kvHeads * headDim
        (values + slot * capacity * width).update(from: v, count: tokens * width)
    }

    /// Takes one block of head `head`'s softmaxed attention: `rows` query rows starting at
    /// position `firstRow`, each `keys` wide (row-major, `block[r * keys + j]`), causal zeros
    /// included. Keeps the pooled (last) row, and adds the block / H into the mean matrix when
    /// `slot` is below the top captured layer.
    public func recordAttention(slot: Int, head: Int, block: UnsafePointer<Float>, firstRow: Int, rows: Int, keys: Int) {
        if firstRow + rows == tokens {
            (attention + (slot * heads + head) * capacity).update(from: block + (rows - 1) * keys, count: tokens)
        }
        guard keepsMeanAttention, slot < layers - 1 else { return }
        let scale = 1 / Float(heads)
        let mean = meanAttention + slot * tokens * tokens
        for r in 0..<rows {
            let source = block + r * keys, target = mean + (firstRow + r) * tokens
            for j in 0..<min(keys, tokens) { target[j] += scale * source[j] }
        }
    }

    /// Copies the pooled position's residual stream before the final norm (`hidden` floats).
    public func recordFinalResidual(_ x: UnsafePointer<Float>) {
        finalResidual.update(from: x, count: hidden)
    }

    // MARK: Reading

    /// Attention of head `head` in slot `slot` from the pooled position to position `j`.
    public func attentionWeight(slot: Int, head: Int, to j: Int) -> Float {
        attention[(slot * heads + head) * capacity + j]
    }

    /// Head-averaged attention of slot `slot` (below the top) from position `i` to position `j`.
    public func meanAttentionWeight(slot: Int, from i: Int, to j: Int) -> Float {
        meanAttention[(slot * tokens + i) * tokens + j]
    }

    /// The pooled position's pre-norm residual stream.
    public var residual: [Float] { Array(UnsafeBufferPointer(start: finalResidual, count: hidden)) }
}

/// One captured layer's view of an ``AttentionCapture``, handed by `LlamaModel` to that layer's
/// attention (nil for layers that are not captured).
struct CaptureSlot {
    let buffers: AttentionCapture
    let slot: Int

    @inline(__always) func recordValues(_ v: UnsafePointer<Float>) { buffers.recordValues(slot: slot, v) }
    @inline(__always) func recordAttention(head: Int, block: UnsafePointer<Float>, firstRow: Int, rows: Int, keys: Int) {
        buffers.recordAttention(slot: slot, head: head, block: block, firstRow: firstRow, rows: rows, keys: keys)
    }
}

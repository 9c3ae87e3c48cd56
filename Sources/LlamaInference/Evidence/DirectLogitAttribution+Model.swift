import Foundation

extension WeightMatrix: RowSource {}

/// Direct logit attribution (the method and its equations: DirectLogitAttribution.swift) wired to a
/// loaded ``LlamaSequenceClassifier``: one forward pass that also captures the last K layers'
/// attention rows and values, then the token scores (``tokenScores(capture:outputProjections:finalNormWeight:epsilon:directions:rollout:)``)
/// for the targets chosen from that pass's logits. One name for the method, whether called on a model
/// (`run`) or on a capture (the static functions).
///
///     let evidence = DirectLogitAttribution(classifier: model)            // K = min(layers, 8)
///     let run = try evidence.run(tokenIDs: ids) { logits in
///         [try EvidenceTarget.base(of: "291").objective(logits: logits, in: space)]
///     }
///     run.logits          // exactly what `model.logits(tokenIDs:)` returns
///     run.tokenScores[0]  // one score per token position that was run (BOS first)
///
/// Memory: one ``AttentionCapture`` sized for the longest input seen so far (grown outside the
/// forward pass, which itself allocates nothing). Thread safety: calls run one at a time (a lock
/// guards the capture; the classifier's own lock guards its workspace).
public final class DirectLogitAttribution: @unchecked Sendable {
    /// Default number of final layers attributed through: all of a small model's, 8 of LLaMA-7B's 32.
    public static let defaultLayers = 8

    public let classifier: LlamaSequenceClassifier
    /// Layers attributed through (the last `layers` of the model).
    public let layers: Int
    /// Whether scores are carried down the captured layers by attention rollout (default true).
    public let rollout: Bool
    private let lock = NSLock()
    private var capture: AttentionCapture?   // guarded by `lock`

    public init(classifier: LlamaSequenceClassifier, layers: Int? = nil, rollout: Bool = true) {
        self.classifier = classifier
        self.rollout = rollout
        let total = classifier.config.numHiddenLayers
        self.layers = min(max(layers ?? Self.defaultLayers, 1), max(total, 1))
    }

    /// The logits and, for each objective `targets` returns, a DLA score per token position.
    /// `tokenScores[t].count` is the number of positions run (up to the pooled position).
    public func run(tokenIDs: [Int], isCancelled: () -> Bool = { false }, progress: ((Double) -> Void)? = nil,
                    targets: ([Float]) throws -> [TargetObjective]) throws -> (logits: [Float], tokenScores: [[Float]]) {
        lock.lock()
        defer { lock.unlock() }
        let needed = classifier.pooledPosition(of: tokenIDs) + 1
        let capture = captureBuffers(tokens: needed)
        let logits = try classifier.logits(tokenIDs: tokenIDs, isCancelled: isCancelled, progress: progress, capture: capture)
        let objectives = try targets(logits)
        let weights = classifier.weights
        let directions = objectives.map { $0.direction(head: weights.score) }
        let projections = (0..<capture.layers).map { weights.layers[capture.firstLayer + $0].o }
        let scores = try DirectLogitAttribution.tokenScores(capture: capture, outputProjections: projections,
                                                            finalNormWeight: weights.norm, epsilon: classifier.config.epsilon,
                                                            directions: directions, rollout: rollout)
        return (logits, scores)
    }

    /// The capture, grown (reallocated) only when `tokens` exceeds its capacity. Caller holds `lock`.
    private func captureBuffers(tokens: Int) -> AttentionCapture {
        if let existing = capture, existing.capacity >= tokens { return existing }
        capture = nil   // release the old buffers before allocating the larger ones
        let config = classifier.config
        let fresh = AttentionCapture(layers: layers, totalLayers: config.numHiddenLayers, heads: config.numAttentionHeads,
                                     kvHeads: config.kvHeads, headDim: config.headDimension, hidden: config.hiddenSize,
                                     capacity: max(tokens, 16))
        capture = fresh
        return fresh
    }
}

import Foundation

/// A loaded `LlamaForSequenceClassification`: token ids in, logits out, on the CPU.
///
/// Example:
/// ```swift
/// let model = try LlamaSequenceClassifier.load(modelDirectory: dir, adapterDirectory: dir.appendingPathComponent("adapter"))
/// let logits = try model.logits(tokenIDs: [1, 15043, 3186])      // [Float], one per label
/// ```
/// Pooling follows the transformers of the checkpoint's era (``PoolingRule``): by default today's,
/// the rightmost token that is not the pad id; DRG-LLaMA's 2023 checkpoints read
/// `(ids ≠ pad).count − 1`. The pad id and rule come from ``ModelReading`` (flags, `drgcoder.json`,
/// config.json). Because attention is causal, tokens after the pooled position cannot change it, so
/// they are not computed at all. No attention mask is applied, exactly as transformers does for a
/// batch of one.
///
/// Thread safety: `logits` may be called from any thread; calls run one at a time (they share one
/// `Workspace`, grown when a longer input arrives). `threads` sets OpenBLAS's process-wide pool.
/// Cancellation: `isCancelled` is polled before every layer; a `true` throws `CancellationError`.
public final class LlamaSequenceClassifier: @unchecked Sendable {
    public let config: LlamaConfig
    public let weights: LlamaWeights
    /// Threads for BLAS and for widening half weights.
    public let threads: Int
    /// The CPU's own arithmetic the products use (``NativeKernels``; by default what this CPU has,
    /// unless `DRGCODER_KERNELS=widen`).
    public let kernels: NativeKernels
    /// The safetensors files the weights were read from (empty when built in memory).
    public let weightFiles: [URL]
    /// How the checkpoint is read (pad id, pooling rule, tokenizer file) and why.
    public let reading: ModelReading
    /// The id the pooling rule treats as padding (nil: none, the last token is read).
    public var padTokenID: Int? { reading.padTokenID }
    public var pooling: PoolingRule { reading.pooling }
    let model: LlamaModel
    let head: ClassifierHead
    private let lock = NSLock()
    private var workspace: Workspace?   // guarded by `lock`
    private var chunkOverride: Int?     // guarded by `lock`
    private var pruning = ProcessInfo.processInfo.environment["DRGCODER_LAST_LAYER"] != "whole"   // guarded by `lock`

    /// Whether the last layer runs for the pooled token only (``LlamaModel``; only it is read).
    /// `DRGCODER_LAST_LAYER=whole` in the environment turns it off (benchmarks compare both); tests set it.
    var pruneLastLayer: Bool {
        get { lock.withLock { pruning } }
        set { lock.withLock { pruning = newValue } }
    }

    /// Tokens per pass through a layer: ``Workspace/layerTokens`` when every projection runs one of our
    /// in-place kernels (``WeightMatrix/streamsInPlace(_:)``: f16, 8-bit), else all tokens at once
    /// (nil), since there every chunk would widen or pack each weight again. Tests set it to compare
    /// a chunked pass with an unchunked one (`Int.max`: one chunk); setting it drops the workspace.
    var layerTokens: Int? {
        get { lock.withLock { chunkOverride ?? defaultLayerTokens } }
        set { lock.withLock { chunkOverride = newValue; workspace = nil } }
    }

    private var defaultLayerTokens: Int? {
        let inPlace = weights.layers.allSatisfy { block in
            [block.q, block.k, block.v, block.o, block.gate, block.up, block.down].allSatisfy { $0.streamsInPlace(kernels) }
        }
        return inPlace ? Workspace.layerTokens : nil
    }

    /// `reading` defaults to ``ModelReading/plain(_:)`` (the config's pad id, today's pooling).
    public init(config: LlamaConfig, weights: LlamaWeights, threads: Int? = nil, weightFiles: [URL] = [],
                reading: ModelReading? = nil, kernels: NativeKernels? = nil) throws {
        self.kernels = try kernels ?? NativeKernels.detected.get()
        self.config = config
        self.reading = reading ?? .plain(config)
        self.weightFiles = weightFiles
        self.weights = weights
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        BLAS.setThreads(self.threads)
        model = try LlamaModel(config: config, weights: weights)
        head = ClassifierHead(score: weights.score)
    }

    /// Loads `config.json` and the weights of `modelDirectory` (safetensors or PyTorch `.bin`),
    /// merging the PEFT adapter in `adapterDirectory` when given, read as
    /// ``ModelReading/resolve(config:modelDirectory:adapterDirectory:flags:)`` decides (`flags` over
    /// the directory's `drgcoder.json`).
    /// `weightFormat` ``WeightFormat/q8`` quantizes the layers' projections as they load.
    public static func load(modelDirectory: URL, adapterDirectory: URL? = nil, threads: Int? = nil,
                            flags: ModelSettings = ModelSettings(), weightFormat: WeightFormat = .stored,
                            kernels: NativeKernels? = nil) throws -> LlamaSequenceClassifier {
        let config = try LlamaConfig.load(directory: modelDirectory)
        let reading = try ModelReading.resolve(config: config, modelDirectory: modelDirectory, adapterDirectory: adapterDirectory,
                                               flags: flags)
        let store = try TensorStore.load(modelDirectory: modelDirectory)
        let adapter = try adapterDirectory.map { try LoRAAdapter.load(directory: $0) }
        let weights = try LlamaWeights.load(config: config, store: store, adapter: adapter, format: weightFormat,
                                            threads: max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount))
        return try LlamaSequenceClassifier(config: config, weights: weights, threads: threads, weightFiles: store.files,
                                           reading: reading, kernels: kernels)
    }

    public var labelCount: Int { weights.labelCount }

    /// The longest input accepted (the workspace grows linearly with it; DRG-LLaMA reads 512).
    public static let maximumTokens = 16_384

    /// The position the head reads (see the type's documentation).
    public func pooledPosition(of tokenIDs: [Int]) -> Int {
        pooling.position(of: tokenIDs, pad: padTokenID)
    }

    /// The raw head output for one sequence. With `capture` (sized for at least the pooled
    /// position + 1 tokens), the pass also copies what direct logit attribution needs into it
    /// (``AttentionCapture``; evidence only).
    public func logits(tokenIDs: [Int], isCancelled: () -> Bool = { false },
                       progress: ((Double) -> Void)? = nil, capture: AttentionCapture? = nil) throws -> [Float] {
        guard !tokenIDs.isEmpty else { throw InferenceError.emptyInput }
        guard tokenIDs.count <= Self.maximumTokens else {
            throw InferenceError.tooManyTokens(count: tokenIDs.count, maximum: Self.maximumTokens)
        }
        if let bad = tokenIDs.first(where: { $0 < 0 || $0 >= config.vocabSize }) {
            throw InferenceError.tokenOutOfRange(id: bad, vocabularySize: config.vocabSize)
        }
        let used = Array(tokenIDs[...pooledPosition(of: tokenIDs)])
        if let capture, capture.capacity < used.count {
            throw EvidenceError.captureMismatch("capacity \(capture.capacity) < \(used.count) tokens")
        }
        lock.lock()
        defer { lock.unlock() }
        let ws: Workspace
        if let existing = workspace, existing.capacity >= used.count {
            ws = existing
        } else {
            workspace = nil  // release the old one before allocating the larger one
            let quantizedMLP = kernels.q8 && weights.layers.first?.gate.isQuantized == true
            ws = Workspace(config: config, labels: labelCount, capacity: max(used.count, 16), kernels: kernels,
                           quantizedMLP: quantizedMLP, layerTokens: chunkOverride ?? defaultLayerTokens)
            workspace = ws
        }
        try model(used, ws, threads: threads, pruneLastLayer: pruning, isCancelled: isCancelled, progress: progress, capture: capture)
        head(ws.pooled.pointer, into: ws.logits.pointer, ws.wideningTile(threads: threads))
        return Array(UnsafeBufferPointer(start: ws.logits.pointer, count: labelCount))
    }

    /// Multiply-adds ×2 executed for `tokens` tokens: every projection (`2·T·rows·columns`), the two
    /// attention products as computed (`2·2·rows·keys·d` per head and query block; blocks skip the
    /// keys after their last row, so this is about `2·T²·d`, not `4·T²·d`) and the head (one row).
    /// With ``pruneLastLayer`` the last layer counts `k` and `v` for every token and the rest for one.
    /// Takes the classifier's lock: not to be called from inside a pass (a `progress` closure).
    public func floatingPointOperations(tokens: Int) -> Double {
        let t = Double(tokens), d = Double(config.headDimension), heads = Double(config.numAttentionHeads)
        let pruned = pruneLastLayer
        var total = 2 * Double(weights.score.rows * weights.score.columns)
        for (index, block) in weights.layers.enumerated() {
            let lastOnly = pruned && index == weights.layers.count - 1
            for (i, w) in [block.k, block.v, block.q, block.o, block.gate, block.up, block.down].enumerated() {
                let rowsOfTokens = lastOnly && i >= 2 ? 1.0 : t       // k and v: every token
                total += 2 * rowsOfTokens * Double(w.rows * w.columns)
            }
            if lastOnly { total += heads * 4 * t * d; continue }
            var first = 0
            while first < tokens {
                let rows = min(Workspace.attentionBlock, tokens - first)
                total += heads * 4 * Double(rows) * Double(first + rows) * d
                first += rows
            }
        }
        return total
    }
}

/// Inputs the model cannot run.
public enum InferenceError: Error, CustomStringConvertible, Equatable, Sendable {
    case emptyInput
    case tokenOutOfRange(id: Int, vocabularySize: Int)
    case tooManyTokens(count: Int, maximum: Int)

    public var description: String {
        switch self {
        case .emptyInput: return "no tokens to classify"
        case .tokenOutOfRange(let id, let size): return "token id \(id) is outside the vocabulary (0..<\(size))"
        case .tooManyTokens(let count, let maximum): return "\(count) tokens is more than the \(maximum) this engine accepts"
        }
    }
}

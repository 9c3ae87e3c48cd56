import Foundation

/// The blueprint of a LLaMA sequence classifier, read from a Hugging Face `config.json`.
///
/// `CodingKeys` are the HF names, so a DRG-LLaMA training output decodes unchanged. Both RoPE styles
/// are read: transformers 4 (`rope_theta` + `rope_scaling`) and transformers 5 (`rope_parameters`,
/// which holds `rope_theta` too). The label count is `num_labels`, else the size of `id2label`.
///
/// Example:
/// ```swift
/// let config = try LlamaConfig.load(directory: modelDirectory)
/// config.headDimension      // 128 for LLaMA-2-7B (hidden_size / num_attention_heads when head_dim is absent)
/// config.rope.theta         // 10000
/// ```
/// Contract: `validate()` (called by `load`) rejects what the forward pass does not implement —
/// biases, activations other than SiLU, RoPE types other than default / linear / llama3 — with a
/// sentence naming the field. Does not: read generation settings or tokenizer fields.
public struct LlamaConfig: Codable, Sendable, Equatable {
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var numKeyValueHeads: Int?
    public var headDim: Int?
    public var intermediateSize: Int
    public var rmsNormEps: Double?
    public var ropeTheta: Double?
    public var ropeScaling: RopeSettings?
    public var ropeParameters: RopeSettings?
    public var vocabSize: Int
    public var numLabels: Int?
    public var id2label: [String: String]?
    public var padTokenID: Int?
    public var hiddenAct: String?
    public var attentionBias: Bool?
    public var mlpBias: Bool?
    public var modelType: String?
    /// `architectures`: LLaMA-1 conversions wrote `LLaMAForCausalLM`; any LLaMA spelling is accepted.
    public var architectures: [String]?
    public var maxPositionEmbeddings: Int?
    /// The transformers version that wrote the file (`"4.27.0.dev0"` for decapoda's LLaMA-1); it dates
    /// the checkpoint for ``PoolingRule/default(for:adapter:)``.
    public var transformersVersion: String?

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", numKeyValueHeads = "num_key_value_heads"
        case headDim = "head_dim", intermediateSize = "intermediate_size", rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta", ropeScaling = "rope_scaling", ropeParameters = "rope_parameters"
        case vocabSize = "vocab_size", numLabels = "num_labels", id2label, padTokenID = "pad_token_id"
        case hiddenAct = "hidden_act", attentionBias = "attention_bias", mlpBias = "mlp_bias"
        case modelType = "model_type", architectures, maxPositionEmbeddings = "max_position_embeddings"
        case transformersVersion = "transformers_version"
    }

    /// transformers' documented defaults for keys that older configs lack (LLaMA-1's have no
    /// `rope_theta` and no `num_key_value_heads`): RoPE θ 10000, one KV head per attention head
    /// (``kvHeads``), RMSNorm ε 1e-6 (``epsilon``).
    public static let defaultRopeTheta = 10000.0

    /// The pad id when it names a token: LLaMA-1 configs say `-1` (decapoda) or nothing, which
    /// transformers treats as no pad token at all.
    public var validPadTokenID: Int? {
        guard let padTokenID, padTokenID >= 0, padTokenID < vocabSize else { return nil }
        return padTokenID
    }

    public init(hiddenSize: Int, numHiddenLayers: Int, numAttentionHeads: Int, numKeyValueHeads: Int? = nil,
                headDim: Int? = nil, intermediateSize: Int, rmsNormEps: Double? = 1e-6, ropeTheta: Double? = 10000,
                ropeScaling: RopeSettings? = nil, vocabSize: Int, numLabels: Int?, padTokenID: Int? = nil) {
        self.hiddenSize = hiddenSize; self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads; self.numKeyValueHeads = numKeyValueHeads
        self.headDim = headDim; self.intermediateSize = intermediateSize; self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta; self.ropeScaling = ropeScaling; self.vocabSize = vocabSize
        self.numLabels = numLabels; self.padTokenID = padTokenID
    }

    /// RoPE settings as either style writes them (`rope_scaling` or `rope_parameters`).
    public struct RopeSettings: Codable, Sendable, Equatable {
        public var ropeType: String?
        /// transformers < 4.45 wrote `type` instead of `rope_type`.
        public var type: String?
        public var ropeTheta: Double?
        public var factor: Double?
        public var lowFreqFactor: Double?
        public var highFreqFactor: Double?
        public var originalMaxPositionEmbeddings: Int?

        enum CodingKeys: String, CodingKey {
            case ropeType = "rope_type", type, ropeTheta = "rope_theta", factor
            case lowFreqFactor = "low_freq_factor", highFreqFactor = "high_freq_factor"
            case originalMaxPositionEmbeddings = "original_max_position_embeddings"
        }

        public init(ropeType: String?, ropeTheta: Double? = nil, factor: Double? = nil, lowFreqFactor: Double? = nil,
                    highFreqFactor: Double? = nil, originalMaxPositionEmbeddings: Int? = nil) {
            self.ropeType = ropeType; self.ropeTheta = ropeTheta; self.factor = factor
            self.lowFreqFactor = lowFreqFactor; self.highFreqFactor = highFreqFactor
            self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
        }
    }

    /// The rotary embedding the forward pass applies.
    public struct Rope: Sendable, Equatable {
        public enum Scaling: Sendable, Equatable {
            case none
            /// Position interpolation: every frequency divided by `factor`.
            case linear(factor: Double)
            /// Llama 3.1's frequency-dependent scaling (transformers `_compute_llama3_parameters`).
            case llama3(factor: Double, lowFreqFactor: Double, highFreqFactor: Double, originalContext: Int)
        }
        public var theta: Double
        public var scaling: Scaling
    }

    // MARK: Derived values (every hyperparameter comes from here, none is hard-coded)

    public var kvHeads: Int { numKeyValueHeads ?? numAttentionHeads }
    public var headDimension: Int { headDim ?? hiddenSize / max(numAttentionHeads, 1) }
    public var epsilon: Float { Float(rmsNormEps ?? 1e-6) }
    /// `num_labels`, else the size of `id2label`; nil when the config names neither (a causal-LM base).
    public var labelCount: Int? { numLabels ?? id2label?.count }

    /// The RoPE in effect; `validate()` guarantees it exists.
    public func resolvedRope() throws -> Rope {
        let settings = ropeParameters ?? ropeScaling
        let theta = settings?.ropeTheta ?? ropeTheta ?? Self.defaultRopeTheta
        let kind = settings?.ropeType ?? settings?.type ?? "default"
        func need<T>(_ value: T?, _ field: String) throws -> T {
            guard let value else {
                throw LoadError.badConfig(path: "config.json", reason: "rope type \(kind) needs \(field)")
            }
            return value
        }
        switch kind {
        case "default":
            return Rope(theta: theta, scaling: .none)
        case "linear":
            return Rope(theta: theta, scaling: .linear(factor: try need(settings?.factor, "factor")))
        case "llama3":
            return Rope(theta: theta, scaling: .llama3(
                factor: try need(settings?.factor, "factor"),
                lowFreqFactor: try need(settings?.lowFreqFactor, "low_freq_factor"),
                highFreqFactor: try need(settings?.highFreqFactor, "high_freq_factor"),
                originalContext: try need(settings?.originalMaxPositionEmbeddings, "original_max_position_embeddings")))
        default:
            throw LoadError.badConfig(path: "config.json", reason: "rope type \"\(kind)\" is not supported (default, linear or llama3)")
        }
    }

    /// Rejects configurations the forward pass does not implement.
    public func validate() throws {
        func fail(_ reason: String) -> LoadError { .badConfig(path: "config.json", reason: reason) }
        if let modelType, modelType.lowercased() != "llama" { throw fail("model_type \"\(modelType)\" is not llama") }
        if let architectures, let other = architectures.first(where: { !$0.lowercased().hasPrefix("llama") }) {
            throw fail("architectures names \(other), not a LLaMA model")
        }
        if let maxPositionEmbeddings, maxPositionEmbeddings <= 0 {
            throw fail("max_position_embeddings must be positive, got \(maxPositionEmbeddings)")
        }
        for (field, value) in [("hidden_size", hiddenSize), ("num_hidden_layers", numHiddenLayers),
                               ("num_attention_heads", numAttentionHeads), ("num_key_value_heads", kvHeads),
                               ("head_dim", headDimension), ("intermediate_size", intermediateSize),
                               ("vocab_size", vocabSize)] where value <= 0 {
            throw fail("\(field) must be positive, got \(value)")
        }
        // A corrupt digit must not make strict loading list a billion missing tensors.
        guard numHiddenLayers <= 1024 else { throw fail("num_hidden_layers \(numHiddenLayers) is implausible (at most 1024)") }
        guard numAttentionHeads % kvHeads == 0 else {
            throw fail("num_key_value_heads (\(kvHeads)) does not divide num_attention_heads (\(numAttentionHeads))")
        }
        if headDim == nil, hiddenSize % numAttentionHeads != 0 {
            throw fail("num_attention_heads (\(numAttentionHeads)) does not divide hidden_size (\(hiddenSize))")
        }
        guard headDimension % 2 == 0 else { throw fail("head_dim (\(headDimension)) must be even for rotary embeddings") }
        if let hiddenAct, hiddenAct != "silu" { throw fail("hidden_act \"\(hiddenAct)\" is not supported (silu)") }
        if attentionBias == true { throw fail("attention_bias true is not supported") }
        if mlpBias == true { throw fail("mlp_bias true is not supported") }
        if let labels = labelCount, labels <= 0 { throw fail("num_labels must be positive, got \(labels)") }
        if let eps = rmsNormEps, !(eps > 0) { throw fail("rms_norm_eps must be positive, got \(eps)") }
        let rope = try resolvedRope()
        guard rope.theta > 0, rope.theta.isFinite else { throw fail("rope_theta must be positive, got \(rope.theta)") }
    }

    /// Reads and validates `directory/config.json`.
    public static func load(directory: URL) throws -> LlamaConfig {
        let url = directory.appendingPathComponent("config.json")
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw LoadError.unreadable(path: url.path, reason: "no readable config.json")
        }
        let config: LlamaConfig
        do { config = try JSONDecoder().decode(LlamaConfig.self, from: data) } catch let error as DecodingError {
            throw LoadError.badConfig(path: url.path, reason: SafeTensorsFile.summary(of: error))
        }
        do { try config.validate() } catch LoadError.badConfig(_, let reason) {
            throw LoadError.badConfig(path: url.path, reason: reason)
        }
        return config
    }
}

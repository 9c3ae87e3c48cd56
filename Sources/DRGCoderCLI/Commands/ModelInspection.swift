import DRGKit
import Foundation
import DRGInference
import LlamaInference
import Tokenizers

/// What `drgcoder model inspect` reports (its JSON keys are the property names in snake case).
struct ModelInspection: Encodable {
    struct Weights: Encodable {
        var format: String
        var files: [String]
        var dtypes: [String: Int]
        var parameters: Int
        var bytes: Int
    }
    struct TokenizerReport: Encodable {
        var file: String
        var reason: String
        var vocabulary: Int
        var bos: Int?
        var eos: Int?
    }
    struct LoRAModule: Encodable {
        var module: String
        var rank: Int
        var scale: Float
    }
    struct AdapterReport: Encodable {
        var file: String
        var peftVersion: String?
        var r: Int
        var alpha: Double
        var targetModules: [String]
        var modules: [LoRAModule]
        var savedWhole: [String]
        var ignored: [String]
    }
    var directory: String
    var architecture: String
    var layers: Int
    var hidden: Int
    var heads: Int
    var kvHeads: Int
    var ropeTheta: Double
    var transformersVersion: String?
    var weights: Weights
    var tokenizer: TokenizerReport
    var padTokenID: Int?
    var padReason: String
    var pooling: String
    var poolingReason: String
    var adapter: AdapterReport?
    var labelSpace: String
    var labels: Int
    var identity: String
    var estimatedPeakBytes: Int
    var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case directory, architecture, layers, hidden, heads, kvHeads = "kv_heads", ropeTheta = "rope_theta"
        case transformersVersion = "transformers_version", weights, tokenizer, padTokenID = "pad_token_id"
        case padReason = "pad_reason", pooling, poolingReason = "pooling_reason", adapter
        case labelSpace = "label_space", labels, identity, estimatedPeakBytes = "estimated_peak_bytes", warnings
    }

    static func make(directory: URL, options: ModelOptions) throws -> ModelInspection {
        let classifier = try options.loadClassifier(model: directory.path, threads: 1, quiet: true)
        let config = classifier.model.config, reading = classifier.reading
        // Mapped again for what the loaded model does not keep: every stored tensor's dtype (the
        // dropped lm_head and inv_freq included) and the adapter's own file (headers only, no copy).
        let store = try TensorStore.load(modelDirectory: directory)
        let adapterDirectory = options.adapterDirectory ?? DRGClassifier.bundledAdapter(of: directory)
        let adapter = try adapterDirectory.map { try LoRAAdapter.load(directory: $0) }

        var dtypes: [String: Int] = [:]
        var parameters = 0, bytes = 0
        for view in store.tensors.values {
            dtypes[view.dtype.rawValue, default: 0] += 1
            parameters += view.elementCount; bytes += view.byteCount
        }
        var warnings = reading.warnings
        if config.ropeTheta == nil, config.ropeParameters?.ropeTheta == nil {
            warnings.append("config.json has no rope_theta: transformers' default \(LlamaConfig.defaultRopeTheta) is used")
        }
        let rows = config.numAttentionHeads * config.headDimension
        // Peak: the mapped weights; LoRA: an f32 merged copy of each f32 target, A and B in f32 beside
        // each half one; and a 512-token workspace.
        let merged = adapter?.updates.reduce(0) { sum, entry in
            guard let target = store.tensors[entry.key] else { return sum }
            return sum + (target.dtype == .f32 ? target.byteCount : 4 * (entry.value.a.elementCount + entry.value.b.elementCount))
        } ?? 0
        let workspace = 512 * (6 * config.hiddenSize + 3 * config.intermediateSize + 2 * rows) * 4
            + config.numAttentionHeads * 512 * 512 * 4
        let adapterReport = adapter.map { adapter in
            AdapterReport(file: adapter.weightsPath.lastPathComponent,
                          peftVersion: ModelReading.peftVersion(adapterDirectory: adapter.directory),
                          r: adapter.rank, alpha: adapter.alpha, targetModules: adapter.targetModules,
                          modules: adapter.updates.sorted { $0.key < $1.key }.map {
                              LoRAModule(module: String($0.key.dropLast(".weight".count)), rank: $0.value.a.shape.first ?? 0, scale: $0.value.scale)
                          },
                          savedWhole: adapter.replacements.keys.sorted(), ignored: adapter.ignored)
        }
        let tokenizer = classifier.tokenizer
        return ModelInspection(
            directory: directory.path,
            architecture: config.architectures?.first ?? config.modelType ?? "llama",
            layers: config.numHiddenLayers, hidden: config.hiddenSize, heads: config.numAttentionHeads, kvHeads: config.kvHeads,
            ropeTheta: (try? config.resolvedRope().theta) ?? LlamaConfig.defaultRopeTheta,
            transformersVersion: config.transformersVersion,
            weights: Weights(format: store.format, files: store.files.map(\.lastPathComponent), dtypes: dtypes,
                             parameters: parameters, bytes: bytes),
            tokenizer: TokenizerReport(file: reading.tokenizer == .sentencepiece ? "tokenizer.model" : "tokenizer.json",
                                       reason: reading.tokenizerReason, vocabulary: tokenizer.vocabularySize,
                                       bos: tokenizer.encode("", addSpecialTokens: true).ids.first, eos: tokenizer.eosTokenID),
            padTokenID: reading.padTokenID, padReason: reading.padReason,
            pooling: reading.pooling.rawValue, poolingReason: reading.poolingReason,
            adapter: adapterReport,
            labelSpace: classifier.labelSpace.name, labels: classifier.labelSpace.logitCount,
            identity: classifier.identity.key,
            estimatedPeakBytes: bytes + merged + workspace,
            warnings: warnings)
    }

    /// The human-readable report.
    var text: String {
        func gb(_ b: Int) -> String { String(format: "%.2f GB", Double(b) / 1e9) }
        var lines = [
            "model       \(directory)",
            "config      \(architecture), \(layers) layers, hidden \(hidden), \(heads) heads (\(kvHeads) KV), RoPE θ \(ropeTheta), transformers \(transformersVersion ?? "?")",
            "weights     \(weights.format), \(weights.files.count) file\(weights.files.count == 1 ? "" : "s"), \(weights.dtypes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")), \(weights.parameters) parameters, \(gb(weights.bytes))",
            "tokenizer   \(tokenizer.file) (\(tokenizer.reason)), \(tokenizer.vocabulary) tokens, BOS \(tokenizer.bos.map(String.init) ?? "none"), EOS \(tokenizer.eos.map(String.init) ?? "none")",
            "pad id      \(padTokenID.map(String.init) ?? "none") (\(padReason))",
            "pooling     \(pooling) (\(poolingReason))",
        ]
        if let adapter {
            lines.append("adapter     \(adapter.file), PEFT \(adapter.peftVersion ?? "version not recorded"), r \(adapter.r), alpha \(adapter.alpha), targets \(adapter.targetModules.joined(separator: ","))")
            for module in adapter.modules { lines.append("  lora      \(module.module)  r \(module.rank)  scale \(module.scale)") }
            if !adapter.savedWhole.isEmpty { lines.append("  saved     \(adapter.savedWhole.joined(separator: ", ")) (modules_to_save)") }
            if !adapter.ignored.isEmpty { lines.append("  ignored   \(adapter.ignored.count) keys PEFT does not load either (\(adapter.ignored.joined(separator: ", ")))") }
        } else {
            lines.append("adapter     none")
        }
        lines.append("labels      \(labelSpace) (\(labels))")
        lines.append("identity    \(identity)")
        lines.append("memory      about \(gb(estimatedPeakBytes)) peak (mapped weights + LoRA + a 512-token workspace)")
        for warning in warnings { lines.append("warning     \(warning)") }
        return lines.joined(separator: "\n")
    }
}

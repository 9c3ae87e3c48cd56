import Crypto
import DRGKit
import Foundation
import LlamaInference
import Tokenizers

/// What one prediction produced. Encodes as the object `drgcoder predict --json` prints
/// (`token_ids`, `truncated`, `logits`, `ranked`, `base_drgs`, `cc_mcc`, `evidence`, `elapsed_ms`).
public struct ClassifierResult: Codable, Sendable, Equatable {
    /// As fed to the model: BOS included, after truncation.
    public var tokenIDs: [Int]
    public var truncated: Bool
    /// Raw head output, one per label of the label space.
    public var logits: [Float]
    public var prediction: DRGPrediction
    public var elapsedMilliseconds: Double

    public init(tokenIDs: [Int], truncated: Bool, logits: [Float], prediction: DRGPrediction, elapsedMilliseconds: Double) {
        self.tokenIDs = tokenIDs; self.truncated = truncated; self.logits = logits
        self.prediction = prediction; self.elapsedMilliseconds = elapsedMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case tokenIDs = "token_ids", truncated, logits, elapsedMilliseconds = "elapsed_ms"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tokenIDs = try container.decode([Int].self, forKey: .tokenIDs)
        truncated = try container.decode(Bool.self, forKey: .truncated)
        logits = try container.decode([Float].self, forKey: .logits)
        elapsedMilliseconds = try container.decode(Double.self, forKey: .elapsedMilliseconds)
        prediction = try DRGPrediction(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tokenIDs, forKey: .tokenIDs)
        try container.encode(truncated, forKey: .truncated)
        try container.encode(logits, forKey: .logits)
        try container.encode(elapsedMilliseconds, forKey: .elapsedMilliseconds)
        try prediction.encode(to: encoder)
    }
}

/// Text in, MS-DRGs out: a model directory's tokenizer, LLaMA classifier (with its adapter merged)
/// and label space, loaded together and checked against each other.
///
/// Example:
/// ```swift
/// let classifier = try DRGClassifier.load(modelDirectory: URL(fileURLWithPath: "models/demo"),
///                                         adapterDirectory: nil, labels: nil, threads: nil)
/// let result = try classifier.predict(text: briefHospitalCourse)
/// result.prediction.ranked.first?.drg     // "291"
/// ```
/// Loading: `adapterDirectory`, else `modelDirectory/adapter` when it holds an `adapter_config.json`.
/// Labels: `labels` (`drg-llama-single`, `drg-llama-two` or a `drg_labels.json` path), else the
/// model directory's `drg_labels.json`, else the DRG-LLaMA space whose size equals the head's
/// (738 → single, 345 → two; `LabelSpace.drgLlama(logitCount:)`). The head's size must equal the label space's, and the tokenizer's
/// vocabulary must fit the embedding, or loading fails with both numbers.
///
/// Thread safety: `Sendable`; `predict` may be called from a background queue (calls are serialised
/// inside the model). Cancellation is polled between layers and throws `CancellationError`.
/// Evidence: `prediction.evidence` holds the top DRG's base and CC/MCC spans, by direct logit
/// attribution in the same pass; `occlusionEvidence` is the slower method (docs/EVIDENCE.md).
/// Does not: log the text (it is PHI) or batch several notes.
public final class DRGClassifier: Sendable {
    public let identity: ModelIdentity
    public let labelSpace: LabelSpace
    public let tokenizer: Tokenizer
    public let model: LlamaSequenceClassifier
    /// How the checkpoint is read (pad id, pooling, tokenizer file) and why.
    public var reading: ModelReading { model.reading }
    /// The cheap evidence method run with every prediction (docs/EVIDENCE.md).
    let evidence: DirectLogitAttribution

    init(identity: ModelIdentity, labelSpace: LabelSpace, tokenizer: Tokenizer, model: LlamaSequenceClassifier) {
        self.identity = identity; self.labelSpace = labelSpace; self.tokenizer = tokenizer; self.model = model
        evidence = DirectLogitAttribution(classifier: model)
    }

    /// `settings` (the command line's `--pad-token-id`, `--pooling`, `--tokenizer`) override the model
    /// directory's `drgcoder.json`; see ``ModelReading`` for what is chosen when neither says.
    /// `kernels` nil chooses from the CPU (and `DRGCODER_KERNELS`); tests that compare with an exact
    /// f32 reference pass `.widening`.
    public static func load(modelDirectory: URL, adapterDirectory: URL?, labels: String?, threads: Int?,
                            settings: ModelSettings = ModelSettings(), weightFormat: WeightFormat = .stored,
                            kernels: NativeKernels? = nil) throws -> DRGClassifier {
        let fileManager = FileManager.default
        let adapter = adapterDirectory ?? bundledAdapter(of: modelDirectory)
        let model = try LlamaSequenceClassifier.load(modelDirectory: modelDirectory, adapterDirectory: adapter, threads: threads,
                                                     flags: settings, weightFormat: weightFormat, kernels: kernels)
        let tokenizer = try Tokenizer.load(directory: modelDirectory, sentencePiece: model.reading.tokenizer == .sentencepiece)
        guard tokenizer.vocabularySize <= model.config.vocabSize else {
            throw ClassifierError.mismatch("the tokenizer has \(tokenizer.vocabularySize) tokens but the model embeds \(model.config.vocabSize)")
        }
        let labelSpace: LabelSpace
        if labels != nil || fileManager.fileExists(atPath: modelDirectory.appendingPathComponent(LabelFile.fileName).path) {
            labelSpace = try LabelSpace.named(labels, modelDirectory: modelDirectory)
        } else if let builtIn = LabelSpace.drgLlama(logitCount: model.labelCount) {
            labelSpace = builtIn
        } else {
            throw ClassifierError.mismatch("the model has \(model.labelCount) labels and its directory no \(LabelFile.fileName): name its label space (--labels)")
        }
        guard labelSpace.logitCount == model.labelCount else {
            throw ClassifierError.mismatch("label space \(labelSpace.name) has \(labelSpace.logitCount) labels but the model's score head has \(model.labelCount)")
        }
        let identity = ModelIdentity(
            path: modelDirectory.path,
            weightsSHA256: ModelIdentity.weights(sha256: try sha256(of: model.weightFiles),
                                                 quantizedAs: weightFormat == .stored ? nil : weightFormat.rawValue),
            adapterSHA256: try adapter.map { try sha256(of: [LoRAAdapter.weightsFile(directory: $0)]) },
            labelSpace: labelSpace.name)
        return DRGClassifier(identity: identity, labelSpace: labelSpace, tokenizer: tokenizer, model: model)
    }

    /// `modelDirectory/adapter` when it holds an `adapter_config.json`.
    public static func bundledAdapter(of modelDirectory: URL) -> URL? {
        let bundled = modelDirectory.appendingPathComponent("adapter")
        return FileManager.default.fileExists(atPath: bundled.appendingPathComponent("adapter_config.json").path) ? bundled : nil
    }

    /// Tokenizes (BOS + the first `maxTokens − 1` tokens), runs the model, maps the logits to DRGs.
    public func predict(text: String, maxTokens: Int = 512, isCancelled: @Sendable () -> Bool = { false },
                        progress: (@Sendable (Double) -> Void)? = nil) throws -> ClassifierResult {
        let start = DispatchTime.now().uptimeNanoseconds
        guard text.contains(where: { !$0.isWhitespace }) else { throw ClassifierError.emptyText }
        guard maxTokens >= 2 else { throw ClassifierError.mismatch("maxTokens must be at least 2 (BOS and one token), got \(maxTokens)") }
        let (encoding, truncated) = tokenizer.encodeForModel(text, maxTokens: maxTokens)
        var (logits, prediction) = try logitsAndPredictionWithEvidence(text: text, encoding: encoding,
                                                                       isCancelled: isCancelled, progress: progress)
        // Where reading stopped travels with the answer (stored with it; the screen marks it).
        if truncated { prediction.readUpTo = encoding.offsets.map(\.upperBound).max() }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        return ClassifierResult(tokenIDs: encoding.ids, truncated: truncated, logits: logits,
                                prediction: prediction, elapsedMilliseconds: elapsed)
    }

    /// SHA-256 over the concatenated bytes of `files`, read through the mapping in 16 MB pieces.
    /// This reads every weight byte once at load (the forward pass pages them in anyway).
    /// Public for the other models above the engine (DRGInference's CAML), whose identity is made alike.
    public static func sha256(of files: [URL]) throws -> String {
        var hasher = SHA256()
        for file in files {
            let bytes = try ByteBuffer(mapping: file)
            var offset = 0
            while offset < bytes.count {
                let count = min(16 << 20, bytes.count - offset)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(start: bytes.base + offset, count: count))
                offset += count
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// Inputs a classifier refuses, as one line each.
public enum ClassifierError: Error, CustomStringConvertible, Equatable, Sendable {
    case emptyText
    case mismatch(String)
    /// The model answered NaN or infinity (`count` of `total` logits): its weights are broken.
    case nonFiniteOutput(Int, of: Int)

    /// Throws `nonFiniteOutput` unless every logit is finite: broken weights must be an error in
    /// every classifier (DRG-LLaMA and CAML), never a ranking of NaNs.
    static func requireFinite(_ logits: [Float]) throws {
        let bad = logits.filter { !$0.isFinite }.count
        guard bad == 0 else { throw nonFiniteOutput(bad, of: logits.count) }
    }

    public var description: String {
        switch self {
        case .emptyText: return "the text is empty: nothing to classify"
        case .nonFiniteOutput(let count, let total):
            return "the model's output is not finite (\(count) of \(total) logits are NaN or infinite): its weights are broken"
        case .mismatch(let reason): return reason
        }
    }
}

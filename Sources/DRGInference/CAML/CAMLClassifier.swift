import DRGKit
import Foundation
import LlamaInference

/// A CAML run of JHLiu7/EarlyDRGPrediction, loaded from its files, text in and DRGs out.
///
/// A CAML directory is recognised by its files (``isCAMLDirectory(_:)``): `checkpoint.bin` and
/// `hyperparam.pk`, with `token2id.dict` beside them (or named with `vocabulary`) and the rules file
/// `rules/<COHORT>DRG_RULE<rule>.csv` or `<COHORT>DRG_RULE<rule>.csv` named by the hyperparameters
/// (or named with `labels`). In the repository these live in three folders (`checkpoints/ms_model1/`,
/// `data/ms/`, `rules/`); put them in one, or name the other two.
///
/// Example:
/// ```swift
/// let caml = try CAMLClassifier.load(directory: URL(fileURLWithPath: "models/demo-caml"))
/// let result = try caml.predict(text: note)
/// result.result.prediction.ranked.first?.drg    // "291"; APR-DRG: "194-4"
/// ```
/// Thread safety: immutable and `Sendable`. Does not: log the text (PHI), batch notes, or group.
public struct CAMLClassifier: Sendable {
    public let directory: URL
    public let hyperparameters: CAMLHyperparameters
    public let vocabulary: CAMLVocabulary
    public let rules: CAMLLabelRules
    public let model: CAMLModel
    public let identity: ModelIdentity

    public static let checkpointFile = "checkpoint.bin"

    /// True when `directory` holds a CAML run's `checkpoint.bin` and `hyperparam.pk`.
    public static func isCAMLDirectory(_ directory: URL) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: directory.appendingPathComponent(checkpointFile).path)
            && manager.fileExists(atPath: directory.appendingPathComponent(CAMLHyperparameters.fileName).path)
    }

    public static func load(directory: URL, vocabulary vocabularyFile: URL? = nil, labels labelsFile: URL? = nil) throws -> CAMLClassifier {
        let h = try CAMLHyperparameters.load(url: directory.appendingPathComponent(CAMLHyperparameters.fileName))
        let vocabulary = try CAMLVocabulary.load(url: vocabularyFile ?? directory.appendingPathComponent(CAMLVocabulary.fileName))
        let rulesURL = try labelsFile ?? Self.rulesFile(in: directory, hyperparameters: h)
        let rules = try CAMLLabelRules.load(url: rulesURL)
        if let y = h.labelCount, y != rules.labels.count {
            throw CAMLError(path: rulesURL.path, reason: "\(rules.labels.count) labels after load_rule's exclusions, but hyperparam.pk says Y = \(y)")
        }
        if (h.cohort == "apr") != (rules.system == .aprDRG) {
            throw CAMLError(path: rulesURL.path, reason: "a \(rules.system.rawValue) rules file for a model of cohort \(h.cohort)")
        }
        let checkpoint = directory.appendingPathComponent(checkpointFile)
        let model = try CAMLModel(checkpoint: checkpoint, hyperparameters: h, vocabulary: vocabulary.count, labels: rules.labels.count)
        let identity = ModelIdentity(path: directory.path, weightsSHA256: try sha256(of: checkpoint), adapterSHA256: nil,
                                     labelSpace: "caml-\(rules.system.rawValue.lowercased()):\(rulesURL.lastPathComponent)")
        return CAMLClassifier(directory: directory, hyperparameters: h, vocabulary: vocabulary, rules: rules, model: model, identity: identity)
    }

    static func rulesFile(in directory: URL, hyperparameters h: CAMLHyperparameters) throws -> URL {
        let candidates = [directory.appendingPathComponent(h.ruleDirectory).appendingPathComponent(h.ruleFileName),
                          directory.appendingPathComponent("rules").appendingPathComponent(h.ruleFileName),
                          directory.appendingPathComponent(h.ruleFileName)]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw CAMLError(path: directory.path, reason: "no rules/\(h.ruleFileName) (the label file hyperparam.pk names); pass --labels FILE")
        }
        return found
    }

    static func sha256(of file: URL) throws -> String {
        try DRGClassifier.sha256(of: [file])
    }

    /// What one prediction produced: the DRG-LLaMA-shaped result (its prediction names the DRG system,
    /// `label_system`) plus the rules file and the tokens read.
    public struct Result: Encodable, Sendable {
        public var result: ClassifierResult
        public var system: CAMLLabelRules.System
        public var rulesFile: String
        public var tokens: [String]
        enum CodingKeys: String, CodingKey { case rulesFile = "rules_file", tokens, model = "model_kind" }
        public func encode(to encoder: Encoder) throws {
            try result.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rulesFile, forKey: .rulesFile)
            try container.encode(tokens, forKey: .tokens)
            try container.encode("caml", forKey: .model)
        }
    }

    /// Preprocesses (``CAMLPreprocessing``), runs the model, ranks the labels (softmax of the logits),
    /// and takes the evidence for the top label from its own attention (``evidence(for:tokens:output:text:count:)``).
    public func predict(text: String, evidenceCount: Int = 5) throws -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        guard text.contains(where: { !$0.isWhitespace }) else { throw ClassifierError.emptyText }
        let tokens = CAMLPreprocessing.tokenizeStay(text)
        let (ids, truncated) = CAMLPreprocessing.ids(tokens, vocabulary: vocabulary, length: hyperparameters.maxSequenceLength)
        let output = model.forward(ids: ids)
        try ClassifierError.requireFinite(output.logits)
        var prediction = rank(logits: output.logits)
        // Where the model stopped reading, recorded with the prediction (the screens mute the rest).
        if truncated { prediction.readUpTo = tokens.prefix(ids.count).compactMap(\.end).max() }
        if let top = output.logits.indices.max(by: { output.logits[$0] < output.logits[$1] }) {
            prediction.evidence = evidence(for: top, tokens: Array(tokens.prefix(ids.count)), output: output, text: text, count: evidenceCount)
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let result = ClassifierResult(tokenIDs: ids, truncated: truncated, logits: output.logits, prediction: prediction,
                                      elapsedMilliseconds: elapsed)
        return Result(result: result, system: rules.system, rulesFile: rules.path, tokens: tokens.prefix(ids.count).map(\.text))
    }

    /// Softmax probabilities of the labels, best first. APR-DRG: base marginals (the severities of a
    /// base summed) in `base_drgs` and severity marginals in `cc_mcc`, labelled as APR-DRG and
    /// severity of illness — never as MS-DRG CC/MCC classes. MS-DRG: the rules file's titles, no split.
    public func rank(logits: [Float]) -> DRGPrediction {
        let probabilities = softmax(logits)
        var ranked: [RankedDRG] = []
        var bases: [String: Double] = [:], severities: [String: Double] = [:]
        for (index, label) in rules.labels.enumerated() {
            let p = probabilities[index]
            if let base = label.aprBase, let severity = label.severity {
                let baseName = "APR-DRG \(base) \(label.description)"
                let severityName = "severity \(severity) (\(CAMLLabelRules.severityNames[severity] ?? "?"))"
                ranked.append(RankedDRG(drg: label.code, description: "\(label.description), \(severityName)", probability: p,
                                        base: baseName, ccMcc: severityName, weight: label.weight))
                bases[baseName, default: 0] += p
                severities[severityName, default: 0] += p
            } else {
                ranked.append(RankedDRG(drg: label.code, description: label.description, probability: p, weight: label.weight))
            }
        }
        ranked.sort { $0.probability > $1.probability }
        func marginals(_ d: [String: Double]) -> [Marginal] {
            d.map { Marginal(label: $0.key, probability: $0.value) }.sorted { $0.probability > $1.probability || ($0.probability == $1.probability && $0.label < $1.label) }
        }
        return DRGPrediction(ranked: ranked, baseDRGs: marginals(bases), ccMcc: marginals(severities), labelSystem: rules.system.rawValue)
    }

    func softmax(_ logits: [Float]) -> [Double] {
        guard let top = logits.max() else { return [] }
        let e = logits.map { exp(Double($0 - top)) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}

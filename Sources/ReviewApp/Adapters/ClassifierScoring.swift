import DRGKit
import Foundation
import LlamaInference

/// `Scoring` over the engine's `DRGClassifier` (the store's `CaseScorer` conformance is in
/// ClassifierScoring+CaseScorer.swift): the model reads the
/// first 511 tokens after BOS (DRG-LLaMA's truncation); when the text was cut, `readUpTo` is the
/// scalar offset where the last token read ends, so the note shows what the model did not see.
public struct ClassifierScoring: Scoring {
    public let classifier: DRGClassifier
    public let maxTokens: Int

    public init(classifier: DRGClassifier, maxTokens: Int = 512) { self.classifier = classifier; self.maxTokens = maxTokens }

    public var modelName: String { URL(fileURLWithPath: classifier.identity.path).lastPathComponent }

    public func score(text: String, isCancelled: @escaping @Sendable () -> Bool,
                      progress: @escaping @Sendable (Double) -> Void) throws -> ShownPrediction {
        let result = try classifier.predict(text: text, maxTokens: maxTokens, isCancelled: isCancelled, progress: progress)
        return ShownPrediction(prediction: result.prediction, modelName: modelName,
                               readUpTo: result.truncated ? readLimit(text) : nil,
                               elapsedMilliseconds: result.elapsedMilliseconds, tokenCount: result.tokenIDs.count,
                               truncated: result.truncated)
    }

    /// Where the model stops reading `text`: the end of the last token it reads.
    public func readLimit(_ text: String) -> Int? {
        let (encoding, truncated) = classifier.tokenizer.encodeForModel(text, maxTokens: maxTokens)
        guard truncated else { return nil }
        return encoding.offsets.map(\.upperBound).max()
    }
}

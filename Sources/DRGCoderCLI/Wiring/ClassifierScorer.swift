import DRGKit
import Foundation
import DRGInference
import LlamaInference

/// The engine's `DRGClassifier` as the one `Scorer` that `score`, `demo` and `review` use: the
/// store's batch scoring and the screens' scoring coordinator both call it. The model reads the first
/// `maxTokens` tokens, BOS included (DRG-LLaMA: 512); when the text was cut, the prediction's `readUpTo`
/// (stored in its JSON as `read_up_to`) is the scalar offset where the last token read ends, so the
/// note shows what the model did not see without tokenising it again.
struct ClassifierScorer: Scorer {
    let classifier: DRGClassifier
    let maxTokens: Int
    /// The classifier's identity with an absolute, standardised path (provenance in the store).
    let identity: ModelIdentity

    init(classifier: DRGClassifier, maxTokens: Int = 512) {
        self.classifier = classifier
        self.maxTokens = maxTokens
        identity = classifier.identity.withStandardizedPath
    }

    func score(text: String, isCancelled: @escaping @Sendable () -> Bool,
               progress: @escaping @Sendable (Double) -> Void) throws -> ScoredPrediction {
        let result = try classifier.predict(text: text, maxTokens: maxTokens, isCancelled: isCancelled, progress: progress)
        return ScoredPrediction(prediction: result.prediction, modelName: modelName,
                                readUpTo: result.prediction.readUpTo,
                                elapsedMilliseconds: result.elapsedMilliseconds, tokenCount: result.tokenIDs.count,
                                truncated: result.truncated)
    }

    func occlusionEvidence(text: String, drg: String, isCancelled: @escaping @Sendable () -> Bool) throws -> [EvidenceSpan] {
        try classifier.occlusionEvidence(text: text, drg: drg, maxTokens: maxTokens, isCancelled: isCancelled)
    }
}

extension ModelIdentity {
    /// The identity with an absolute, standardised model path: how the scorers record provenance,
    /// so `models/demo` and `./models/demo/` are one model in the store.
    var withStandardizedPath: ModelIdentity {
        var id = self
        id.path = URL(fileURLWithPath: path).standardizedFileURL.path
        return id
    }
}

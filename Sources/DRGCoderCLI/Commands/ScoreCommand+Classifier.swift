import DRGKit
import CodingStore
import Foundation
import LlamaInference

/// The engine's `DRGClassifier` as the store's `CaseScorer`: the one place `score` touches the engine.
struct ClassifierScorer: CaseScorer {
    let classifier: DRGClassifier
    let maxTokens: Int
    let identity: ModelIdentity

    init(classifier: DRGClassifier, maxTokens: Int) {
        self.classifier = classifier
        self.maxTokens = maxTokens
        var id = classifier.identity
        id.path = URL(fileURLWithPath: id.path).standardizedFileURL.path   // provenance: an absolute path
        identity = id
    }

    static func load(model: String, options: ModelOptions, maxTokens: Int) throws -> ClassifierScorer {
        ClassifierScorer(classifier: try options.loadClassifier(model: model), maxTokens: maxTokens)
    }

    func score(text: String, isCancelled: @escaping @Sendable () -> Bool) throws -> ScoredNote {
        let result = try classifier.predict(text: text, maxTokens: maxTokens, isCancelled: isCancelled)
        return ScoredNote(prediction: result.prediction, elapsedMilliseconds: result.elapsedMilliseconds,
                          tokenCount: result.tokenIDs.count, truncated: result.truncated)
    }
}

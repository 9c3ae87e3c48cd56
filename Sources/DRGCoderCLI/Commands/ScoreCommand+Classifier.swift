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

    static func load(model: String, adapter: String?, labels: String?, threads: Int?, maxTokens: Int) throws -> ClassifierScorer {
        do {
            let classifier = try DRGClassifier.load(modelDirectory: URL(fileURLWithPath: model),
                                                    adapterDirectory: adapter.map { URL(fileURLWithPath: $0) },
                                                    labels: labels, threads: threads)
            return ClassifierScorer(classifier: classifier, maxTokens: maxTokens)
        } catch {
            throw CLIError("cannot load the model in \(model): \(error)")
        }
    }

    func score(text: String, isCancelled: @escaping @Sendable () -> Bool) throws -> ScoredNote {
        let result = try classifier.predict(text: text, maxTokens: maxTokens, isCancelled: isCancelled)
        return ScoredNote(prediction: result.prediction, elapsedMilliseconds: result.elapsedMilliseconds,
                          tokenCount: result.tokenIDs.count, truncated: result.truncated)
    }
}

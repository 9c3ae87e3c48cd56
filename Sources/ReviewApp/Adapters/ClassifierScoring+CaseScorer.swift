import DRGKit
import CodingStore
import LlamaInference

/// The store's batch scorer (`AppDatabase.scoreQueue`, used by `drgcoder demo` without a terminal)
/// over the same classifier.
extension ClassifierScoring: CaseScorer {
    public var identity: ModelIdentity { classifier.identity }

    public func score(text: String, isCancelled: @escaping @Sendable () -> Bool) throws -> ScoredNote {
        let result = try classifier.predict(text: text, maxTokens: maxTokens, isCancelled: isCancelled, progress: nil)
        return ScoredNote(prediction: result.prediction, elapsedMilliseconds: result.elapsedMilliseconds,
                          tokenCount: result.tokenIDs.count, truncated: result.truncated)
    }
}

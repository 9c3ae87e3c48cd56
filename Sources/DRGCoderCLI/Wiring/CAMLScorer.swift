import DRGKit
import Foundation
import DRGInference

/// A CAML run (JHLiu7/EarlyDRGPrediction) as a `Scorer`: what `score`, `review` and `demo` call when
/// `--model` is a CAML directory, beside ``ClassifierScorer`` for DRG-LLaMA. The prediction names
/// its DRG system (`label_system` "MS-DRG" or "APR-DRG") and is stored under an identity whose label
/// space says the same (`caml-ms-drg:MSDRG_RULE13.csv`), so `eval` and the screens never mix the two.
/// Evidence is CAML's own attention for the top label (``CAMLClassifier/evidence(for:tokens:output:text:count:)``),
/// as spans of the text it read, which the screens show as they show DRG-LLaMA's.
///
/// The model reads the first `max_seq_length` tokens of the preprocessed text; when the text is
/// longer, the prediction's `readUpTo` is where the last token read ends. Cancellation is checked before the forward
/// pass (a CAML note takes milliseconds; there is nothing to interrupt inside it).
struct CAMLScorer: Scorer {
    let classifier: CAMLClassifier
    /// The classifier's identity with an absolute, standardised path (provenance in the store).
    let identity: ModelIdentity

    init(classifier: CAMLClassifier) {
        self.classifier = classifier
        identity = classifier.identity.withStandardizedPath
    }

    func score(text: String, isCancelled: @escaping @Sendable () -> Bool,
               progress: @escaping @Sendable (Double) -> Void) throws -> ScoredPrediction {
        if isCancelled() { throw CancellationError() }
        let result = try classifier.predict(text: text)
        progress(1)
        let read = result.result.tokenIDs.prefix { $0 != 0 }.count
        return ScoredPrediction(prediction: result.result.prediction, modelName: modelName,
                                readUpTo: result.result.prediction.readUpTo,
                                elapsedMilliseconds: result.result.elapsedMilliseconds, tokenCount: read,
                                truncated: result.result.truncated)
    }
}

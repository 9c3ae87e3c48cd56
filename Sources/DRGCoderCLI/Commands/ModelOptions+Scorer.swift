import CodingStore
import DRGInference
import DRGKit
import Foundation
import LlamaInference

/// A model loaded for scoring, whichever kind `--model` names, with the MS-DRG version of the DRG
/// catalogue the screens search for overrides.
struct LoadedScorer {
    var scorer: any Scorer
    /// DRG-LLaMA: its label space's version. CAML: v43 (the catalogue DRGKit has; a CAML prediction
    /// carries its own rules file's titles and weights, and APR-DRG codes are not in any MS-DRG table).
    var catalogVersion: DRGVersion
    /// "DRG-LLaMA", "CAML MS-DRG" or "CAML APR-DRG", for messages.
    var kind: String
    /// The training labels exports index by: a DRG-LLaMA model's own label space; nil (the default
    /// labels) for CAML, whose labels are a rules file.
    var exportLabels: TrainingLabels? = nil
}

extension ModelOptions {
    /// Loads the model in `model` for `score`, `review` and `demo`: a CAML run when the directory holds
    /// `checkpoint.bin` and `hyperparam.pk` (``CAMLClassifier/isCAMLDirectory(_:)``), else a DRG-LLaMA
    /// checkpoint (HF layout). `maxTokens` applies to DRG-LLaMA only: a CAML model reads its
    /// `max_seq_length`. A load error is one CLI line.
    func loadScorer(model: String, maxTokens: Int = 512, threads override: Int? = nil) throws -> LoadedScorer {
        if CAMLClassifier.isCAMLDirectory(URL(fileURLWithPath: model)) {
            let caml = try loadCAML(model: model)
            if let threads = override ?? threads { BLAS.setThreads(threads) }
            return LoadedScorer(scorer: CAMLScorer(classifier: caml), catalogVersion: .v43, kind: "CAML \(caml.rules.system.rawValue)")
        }
        let classifier = try loadClassifier(model: model, threads: override)
        return LoadedScorer(scorer: ClassifierScorer(classifier: classifier, maxTokens: maxTokens),
                            catalogVersion: classifier.labelSpace.version, kind: "DRG-LLaMA",
                            exportLabels: TrainingLabels.of(model: classifier.labelSpace))
    }
}

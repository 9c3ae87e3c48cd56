import DRGKit
import Foundation
import LlamaInference
import Tokenizers

extension DRGClassifier {
    /// One forward pass that yields the logits, the prediction and — by direct logit attribution
    /// (``DirectLogitAttribution``) — the evidence for the top DRG: up to 3 base sentences and 3
    /// CC/MCC sentences (``DRGEvidence``). What `predict` runs.
    ///
    /// The top DRG is `prediction.ranked.first` (for a two-label space, the best joint DRG). The
    /// offsets of `encoding` (Unicode scalars of `text`) place the spans.
    func logitsAndPredictionWithEvidence(text: String, encoding: Encoding, isCancelled: () -> Bool,
                                         progress: ((Double) -> Void)?) throws -> (logits: [Float], prediction: DRGPrediction) {
        var prediction = DRGPrediction(ranked: [], baseDRGs: [], ccMcc: [])
        var targets: [EvidenceTarget] = []
        let run = try evidence.run(tokenIDs: encoding.ids, isCancelled: isCancelled, progress: progress) { logits in
            // NaN or infinite logits (broken weights) would rank DRGs by softmax(0) = nothing: an error,
            // in `predict`, `score` and the review screen alike, never a normal-looking prediction.
            try ClassifierError.requireFinite(logits)
            prediction = labelSpace.predict(logits: logits)
            guard let top = prediction.ranked.first?.drg else { return [] }
            targets = DRGEvidence.targets(for: top, in: labelSpace)
            return try targets.map { try $0.attributionDirection(logits: logits, in: labelSpace) }
        }
        let offsets = Array(encoding.offsets.prefix(run.tokenScores.first?.count ?? 0))
        prediction.evidence = DRGEvidence.spans(text: text, tokenOffsets: offsets, tokenScores: run.tokenScores,
                                                targets: targets, space: labelSpace)
        return (run.logits, prediction)
    }

    /// The cheap method's evidence for several DRGs of one note (e.g. the top 3 a coder compares),
    /// from one captured forward pass: for each DRG in order, its base spans then its CC/MCC spans,
    /// as `predict` reports them for the top DRG. Throws ``EvidenceError`` for a DRG outside the
    /// label space, `CancellationError` when cancelled.
    public func evidence(text: String, drgs: [String], maxTokens: Int = 512,
                         isCancelled: @Sendable () -> Bool = { false }) throws -> [EvidenceSpan] {
        guard text.contains(where: { !$0.isWhitespace }) else { throw ClassifierError.emptyText }
        let encoding = tokenizer.encodeForModel(text, maxTokens: maxTokens).encoding
        let targets = drgs.flatMap { DRGEvidence.targets(for: $0, in: labelSpace) }
        let run = try evidence.run(tokenIDs: encoding.ids, isCancelled: isCancelled) { logits in
            try targets.map { try $0.attributionDirection(logits: logits, in: labelSpace) }
        }
        let offsets = Array(encoding.offsets.prefix(run.tokenScores.first?.count ?? 0))
        let note = NoteSegmentation(text: text)
        return DRGEvidence.spans(note: note, tokenOffsets: offsets, tokenScores: run.tokenScores, targets: targets, space: labelSpace)
    }

    /// The slower, more faithful evidence for `drg` (any DRG of the label space, e.g. the one a
    /// coder selected): sentence occlusion (``SentenceOcclusion``), one forward pass per sentence
    /// of `text`, base and CC/MCC sentences with their drop in log-probability. Cancellable
    /// between passes (`CancellationError`); throws ``EvidenceError`` for a DRG outside the label space.
    public func occlusionEvidence(text: String, drg: String, maxTokens: Int = 512,
                                  isCancelled: @Sendable () -> Bool = { false }) throws -> [EvidenceSpan] {
        try SentenceOcclusion.evidence(text: text, drg: drg, space: labelSpace, isCancelled: isCancelled) { variant in
            let ids = tokenizer.encodeForModel(variant, maxTokens: maxTokens).encoding.ids
            return try model.logits(tokenIDs: ids, isCancelled: isCancelled)
        }
    }
}

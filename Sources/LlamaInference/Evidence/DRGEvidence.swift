import DRGKit

/// The evidence a prediction carries for one DRG: spans for its base DRG and spans for its CC/MCC
/// split, from per-token scores of any attribution method.
///
///     let targets = DRGEvidence.targets(for: "291")          // [.base(of: "291"), .ccMcc(of: "291")]
///     // ... tokenScores[t] = one score per token for targets[t] (DirectLogitEvidence, or occlusion) ...
///     let spans = DRGEvidence.spans(text: note, tokenOffsets: encoding.offsets, tokenScores: scores,
///                                   targets: targets, space: space)
///     // [EvidenceSpan(aspect: "base", supports: "HEART FAILURE AND SHOCK", ...), ..., (aspect: "cc_mcc", supports: "291")]
///
/// `supports` is the base DRG's description for base spans (what they argue for is the base, shared
/// by the siblings) and the DRG code for CC/MCC spans (they argue for this DRG among its siblings).
/// Base spans come first, then CC/MCC spans, each best first, at most `perAspect` of each (3 by
/// default: whole sentences, ranked by their best phrase, ``defaultGranularity``). A target whose gradient is zero (a base without a CC/MCC split) yields no spans.
public enum DRGEvidence {
    /// Spans of each aspect reported with a prediction.
    public static let defaultPerAspect = 3
    /// What a prediction's spans are: whole sentences ranked by their best phrase.
    public static let defaultGranularity = EvidenceSpans.Granularity.sentence

    /// The two targets a DRG's evidence explains.
    public static func targets(for drg: String) -> [EvidenceTarget] { [.base(of: drg), .ccMcc(of: drg)] }

    /// Evidence spans from token scores (`tokenScores[t]` for `targets[t]`, one per token of
    /// `tokenOffsets`; positions past the scores count as 0).
    public static func spans(text: String, tokenOffsets: [Range<Int>], tokenScores: [[Float]], targets: [EvidenceTarget],
                             space: LabelSpace, perAspect: Int = defaultPerAspect,
                             granularity: EvidenceSpans.Granularity = defaultGranularity) -> [EvidenceSpan] {
        let note = NoteSegmentation(text: text)
        return spans(note: note, tokenOffsets: tokenOffsets, tokenScores: tokenScores, targets: targets, space: space,
                     perAspect: perAspect, granularity: granularity)
    }

    /// As above, for a note already segmented.
    public static func spans(note: NoteSegmentation, tokenOffsets: [Range<Int>], tokenScores: [[Float]], targets: [EvidenceTarget],
                             space: LabelSpace, perAspect: Int = defaultPerAspect,
                             granularity: EvidenceSpans.Granularity = defaultGranularity) -> [EvidenceSpan] {
        var result: [EvidenceSpan] = []
        for (target, scores) in zip(targets, tokenScores) {
            let words = EvidenceSpans.wordScores(tokenOffsets: tokenOffsets, tokenScores: scores, in: note)
            let options = EvidenceSpans.Options(granularity: granularity, limit: perAspect)
            let chosen = EvidenceSpans.select(wordScores: words, in: note, options: options)
            let supports = supportLabel(target, space)
            result += chosen.map { $0.evidence(in: note, supports: supports, aspect: target.aspect) }
        }
        return result
    }

    /// The base DRG's description for a base target, the DRG code otherwise.
    public static func supportLabel(_ target: EvidenceTarget, _ space: LabelSpace) -> String {
        if case .base(of: let code) = target, let entry = space.table.entry(code) { return entry.baseDRG }
        return space.table.entry(target.drg)?.code ?? target.drg
    }
}

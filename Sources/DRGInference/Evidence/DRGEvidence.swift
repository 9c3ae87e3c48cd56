import LlamaInference
import DRGKit

/// The evidence a prediction carries for one DRG: spans for its base DRG and spans for its CC/MCC
/// split, from per-token scores of any attribution method.
///
///     let targets = DRGEvidence.targets(for: "291", in: space)  // [.base(of: "291"), .ccMcc(of: "291")]
///     // ... tokenScores[t] = one score per token for targets[t] (DirectLogitAttribution, or occlusion) ...
///     let spans = DRGEvidence.spans(text: note, tokenOffsets: encoding.offsets, tokenScores: scores,
///                                   targets: targets, space: space)
///     // [EvidenceSpan(aspect: "base", supports: "HEART FAILURE AND SHOCK", ...), ..., (aspect: "cc_mcc", supports: "291")]
///
/// **Surgical DRGs.** CMS groups a surgical case in two steps: the principal diagnosis decides the
/// MDC, then the operating-room procedure picks the surgical base inside it (and the secondary
/// diagnoses the CC/MCC split). The base target contrasts the base with every other label, the
/// MDC's medical DRGs that share the diagnosis included, so its best sentence is usually the
/// procedure and the diagnosis ranks low. For a surgical DRG in an MDC that holds other bases,
/// ``targets(for:in:)`` therefore adds ``EvidenceTarget/mdc(of:)`` first, and the base spans are:
/// the MDC target's best sentence apart from the base target's best one, then the base target's
/// sentences best first, at most `perAspect` in all. The base target's best sentence is taken to be
/// the procedure (it is what separates the surgical base from the rest of its MDC); the MDC's best
/// remaining support is then the principal diagnosis, listed first, as a coder sequences it.
/// The spans carry no role label: the split is right often, not always. On the demo model this moves the top base span into the principal-diagnosis
/// sentence on 94.0% of the 1,598 synthetic test cases, against 88.2% with the base target alone
/// (docs/EVIDENCE.md).
///
/// `supports` is the base DRG's description for base spans (what they argue for is the base, shared
/// by the siblings) and the DRG code for CC/MCC spans (they argue for this DRG among its siblings).
/// Base spans come first, then CC/MCC spans, each best first, at most `perAspect` of each (3 by
/// default: whole sentences, ranked by their best phrase, ``defaultGranularity``). A target whose
/// gradient is zero (a base without a CC/MCC split) yields no spans.
public enum DRGEvidence {
    /// Spans of each aspect reported with a prediction.
    public static let defaultPerAspect = 3
    /// What a prediction's spans are: whole sentences ranked by their best phrase.
    public static let defaultGranularity = EvidenceSpans.Granularity.sentence

    /// The targets a DRG's evidence explains, in order: `.mdc` (surgical DRGs only, see above),
    /// `.base`, `.ccMcc`.
    public static func targets(for drg: String, in space: LabelSpace) -> [EvidenceTarget] {
        (isSurgicalWithinMDC(drg, space) ? [.mdc(of: drg)] : []) + [.base(of: drg), .ccMcc(of: drg)]
    }

    /// Whether `drg` is a surgical DRG of a real MDC (not pre-MDC) whose MDC holds labels of other
    /// bases in `space`, so that the MDC and the base are different questions.
    public static func isSurgicalWithinMDC(_ drg: String, _ space: LabelSpace) -> Bool {
        guard let entry = space.table.entry(drg), entry.type == "SURG", let mdc = entry.mdc, mdc != "PRE" else { return false }
        return EvidenceTarget.mdc(of: drg).group(of: entry, in: space).count
            > EvidenceTarget.base(of: drg).group(of: entry, in: space).count
    }

    /// Evidence spans from token scores (`tokenScores[t]` for `targets[t]`, one per token of
    /// `tokenOffsets`; positions past the scores count as 0).
    public static func spans(text: String, tokenOffsets: [Range<Int>], tokenScores: [[Float]], targets: [EvidenceTarget],
                             space: LabelSpace, perAspect: Int = defaultPerAspect,
                             granularity: EvidenceSpans.Granularity = defaultGranularity) -> [EvidenceSpan] {
        let note = NoteSegmentation(text: text)
        return spans(note: note, tokenOffsets: tokenOffsets, tokenScores: tokenScores, targets: targets, space: space,
                     perAspect: perAspect, granularity: granularity)
    }

    /// As above, for a note already segmented. An `.mdc` target's scores are held and reported with
    /// the `.base` target of the same DRG that follows it (as `targets(for:in:)` orders them).
    public static func spans(note: NoteSegmentation, tokenOffsets: [Range<Int>], tokenScores: [[Float]], targets: [EvidenceTarget],
                             space: LabelSpace, perAspect: Int = defaultPerAspect,
                             granularity: EvidenceSpans.Granularity = defaultGranularity) -> [EvidenceSpan] {
        var result: [EvidenceSpan] = []
        var mdcCandidates: (drg: String, spans: [EvidenceSpans.Scored])?
        for (target, scores) in zip(targets, tokenScores) {
            let words = EvidenceSpans.wordScores(tokenOffsets: tokenOffsets, tokenScores: scores, in: note)
            func best(_ limit: Int) -> [EvidenceSpans.Scored] {
                EvidenceSpans.select(wordScores: words, in: note, options: .init(granularity: granularity, limit: limit))
            }
            let supports = supportLabel(target, space)
            switch target {
            case .mdc(of: let drg):
                mdcCandidates = (drg, best(perAspect + 1))
            case .base(of: let drg) where mdcCandidates?.drg == drg:
                let base = best(perAspect + 1)
                func overlaps(_ span: EvidenceSpans.Scored, _ other: EvidenceSpans.Scored?) -> Bool {
                    other.map { $0.range.overlaps(span.range) } ?? false
                }
                let principal = mdcCandidates?.spans.first { !overlaps($0, base.first) }
                let spans = (principal.map { [$0] } ?? []) + base.filter { !overlaps($0, principal) }
                result += spans.prefix(perAspect).map { $0.evidence(in: note, supports: supports, aspect: .base) }
                mdcCandidates = nil
            default:
                result += best(perAspect).map { $0.evidence(in: note, supports: supports, aspect: target.aspect) }
            }
        }
        return result
    }

    /// The base DRG's description for a base (or MDC) target, the DRG code otherwise.
    public static func supportLabel(_ target: EvidenceTarget, _ space: LabelSpace) -> String {
        switch target {
        case .base(of: let code), .mdc(of: let code):
            if let entry = space.table.entry(code) { return entry.baseDRG }
        default: break
        }
        return space.table.entry(target.drg)?.code ?? target.drg
    }
}

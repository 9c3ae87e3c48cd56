import LlamaInference
import DRGKit

/// The slower, more faithful evidence method, run on demand for the DRG a coder selects: delete
/// one sentence at a time, re-run the classifier, and score the sentence by how much the target's
/// log-probability drops.
///
///     let spans = try SentenceOcclusion.scores(text: note, targets: [.base(of: "291"), .ccMcc(of: "291")],
///                                              space: space) { try classifier.predict(text: $0).logits }
///     // spans[0]: every non-header sentence with score = log P(base | note) − log P(base | note − sentence)
///
/// It measures instead of linearising, so it sees every path through the network (MLPs, all layers,
/// the pooled token's own state), and it works with any classifier given as a
/// `(String) throws -> [Float]` logits function. **Cost**: one full forward pass per sentence
/// (a 25-sentence note is 25 passes), all targets sharing them. **What it misses**: evidence that
/// is redundant across sentences (deleting one of two sentences that both say "sepsis" changes
/// little: each gets a low score), and anything finer than a sentence; deleting text also shifts
/// every later token's position, so the drop includes a little positional noise. Headers are
/// kept (they carry no clinical content). Cancellation: `isCancelled` is checked before each pass.
public enum SentenceOcclusion {
    /// For each target, one ``EvidenceSpans/Scored`` per non-header sentence (note order).
    public static func scores(text: String, targets: [EvidenceTarget], space: LabelSpace,
                              isCancelled: () -> Bool = { false },
                              logits: (String) throws -> [Float]) throws -> [[EvidenceSpans.Scored]] {
        let note = NoteSegmentation(text: text)
        let full = try logits(text)
        let reference = try targets.map { try $0.objective(logits: full, in: space).logProbability }
        var result = [[EvidenceSpans.Scored]](repeating: [], count: targets.count)
        for sentence in note.sentences where !sentence.isHeader {
            if isCancelled() { throw CancellationError() }
            let occluded = try logits(NoteEditing.deleting([sentence.range], from: note.scalars))
            for (t, target) in targets.enumerated() {
                let drop = reference[t] - (try target.objective(logits: occluded, in: space).logProbability)
                result[t].append(EvidenceSpans.Scored(range: sentence.range, score: drop))
            }
        }
        return result
    }
}

extension SentenceOcclusion {
    /// The on-demand evidence for one DRG: the sentences whose deletion most lowers log P(base)
    /// (aspect "base", `supports` = the base DRG) and log P(drg | base) (aspect "cc_mcc",
    /// `supports` = the DRG), at most `perAspect` each with a positive drop, best first. `score` is
    /// the drop in log-probability (nats). Occlusion uses no separate MDC target for surgical DRGs:
    /// it measures each sentence's effect on the base itself, and its top base sentence is already the
    /// principal one on 97.0% of the demo cases (docs/EVIDENCE.md).
    public static func evidence(text: String, drg: String, space: LabelSpace, perAspect: Int = DRGEvidence.defaultPerAspect,
                                isCancelled: () -> Bool = { false },
                                logits: (String) throws -> [Float]) throws -> [EvidenceSpan] {
        let targets: [EvidenceTarget] = [.base(of: drg), .ccMcc(of: drg)]
        let scored = try scores(text: text, targets: targets, space: space, isCancelled: isCancelled, logits: logits)
        let note = NoteSegmentation(text: text)
        var result: [EvidenceSpan] = []
        for (target, sentences) in zip(targets, scored) {
            let best = sentences.filter { $0.score > 0 }.sorted { $0.score > $1.score }.prefix(perAspect)
            let supports = DRGEvidence.supportLabel(target, space)
            result += best.map { $0.evidence(in: note, supports: supports, aspect: target.aspect) }
        }
        return result
    }
}

/// Deleting spans of a note, as the occlusion method and the deletion test do.
public enum NoteEditing {
    /// The note without `ranges` (Unicode-scalar offsets; clamped, overlaps merged). Each deleted
    /// range also takes the spaces or tabs after it, and a line left empty loses its line break, so
    /// "A. B. C." without "B." reads "A. C.".
    ///
    ///     NoteEditing.deleting([3..<5], from: Array("A. B. C.".unicodeScalars))   // "A. C."
    public static func deleting(_ ranges: [Range<Int>], from scalars: [Unicode.Scalar]) -> String {
        var remove = [Bool](repeating: false, count: scalars.count)
        for range in ranges {
            let r = range.clamped(to: 0..<scalars.count)
            guard !r.isEmpty else { continue }
            var end = r.upperBound
            while end < scalars.count, scalars[end] == " " || scalars[end] == "\t" { end += 1 }
            let lineStart = r.lowerBound == 0 || NoteSegmentation.isNewline(scalars[r.lowerBound - 1])
            if lineStart, end < scalars.count, NoteSegmentation.isNewline(scalars[end]) { end += 1 }
            for i in r.lowerBound..<end { remove[i] = true }
        }
        var kept = String.UnicodeScalarView()
        for (i, s) in scalars.enumerated() where !remove[i] { kept.append(s) }
        return String(kept)
    }
}

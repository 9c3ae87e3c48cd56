import DRGKit
import Foundation

extension CAMLClassifier {
    /// Evidence from CAML's own attention (Mullenbach et al.: "the attention … highlights n-grams"):
    /// for label `label`, the conv positions with the highest attention α[label, t], each shown as the
    /// kernel-width window of tokens it reads (`t − ⌊k/2⌋ … t − ⌊k/2⌋ + k − 1`), as a span of the note.
    ///
    /// Spans use DRG-LLaMA's format (``EvidenceSpan``): Unicode-scalar `start`/`end` into the note,
    /// `text`, `supports` (the label's code), `aspect` "base" (CAML has one attention per whole label:
    /// the span supports the DRG, base and split together), `score` = α (a probability over positions;
    /// the padding's share is part of the softmax but never shown). Windows that overlap a chosen one,
    /// or hold only padding or tokens NLTK rewrote beyond recognition, are skipped.
    public func evidence(for label: Int, tokens: [CAMLPreprocessing.Token], output: CAMLModel.Output,
                         text: String, count: Int) -> [EvidenceSpan] {
        guard count > 0, label >= 0, label < rules.labels.count else { return [] }
        let k = model.config.kernel, p = model.config.padding
        let row = Array(output.attention[(label * output.positions)..<((label + 1) * output.positions)])
        let order = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
        let scalars = Array(text.unicodeScalars)
        var taken: [Range<Int>] = []
        var spans: [EvidenceSpan] = []
        for t in order {
            let lower = max(0, t - p), upper = min(tokens.count, t - p + k)
            guard lower < upper else { continue }           // padding only
            let window = lower..<upper
            let located = window.compactMap { i in tokens[i].start.flatMap { s in tokens[i].end.map { s..<$0 } } }
            guard let first = located.first, let last = located.last else { continue }
            let span = first.lowerBound..<last.upperBound
            guard !taken.contains(where: { $0.overlaps(span) }), span.upperBound <= scalars.count else { continue }
            taken.append(span)
            spans.append(EvidenceSpan(start: span.lowerBound, end: span.upperBound,
                                      text: String(String.UnicodeScalarView(scalars[span])),
                                      supports: rules.labels[label].code, aspect: "base", score: Double(row[t])))
            if spans.count == count { break }
        }
        return spans
    }
}

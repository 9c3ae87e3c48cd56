/// Replaces spaces with "▁" and optionally prefixes one (HF `pre_tokenizers.Metaspace`, the
/// form newer `transformers` write for LLaMA-2 instead of the Prepend/Replace normalizers).
///
/// `prependScheme`: `always`, `first` (only the piece that starts the original text — not text
/// after a special token), `never`; a piece already starting with "▁" gets no second one.
/// `split` true splits before every "▁" (HF `MergedWithNext`).
struct MetaspacePreTokenizer: PreTokenizer {
    enum PrependScheme: String, Sendable { case always, first, never }

    let replacement: Unicode.Scalar
    let prependScheme: PrependScheme
    let split: Bool

    func preTokenize(_ piece: NormalizedText) -> [NormalizedText] {
        var text = piece
        text.replace([" "], with: [replacement])
        let wantsPrefix = prependScheme == .always || (prependScheme == .first && text.originalRange.lowerBound == 0)
        if wantsPrefix, text.scalars.first != replacement { text.prepend([replacement]) }
        guard split else { return text.isEmpty ? [] : [text] }
        return SplitPreTokenizer(pattern: LiteralSplitPattern(literal: [replacement]), behavior: .mergedWithNext)
            .preTokenize(text)
    }
}

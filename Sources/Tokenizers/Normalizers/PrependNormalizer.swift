/// Puts a fixed prefix in front of non-empty text (HF `normalizers.Prepend`). LLaMA-1/2 use it
/// with "▁" so that the first word is spelled like every word after a space.
///
/// Example: "Hello" → "▁Hello"; "" stays "" (so an empty text gives no tokens, as in HF).
struct PrependNormalizer: Normalizer {
    let prefix: [Unicode.Scalar]

    func normalize(_ text: NormalizedText) -> NormalizedText {
        var result = text
        result.prepend(prefix)
        return result
    }
}

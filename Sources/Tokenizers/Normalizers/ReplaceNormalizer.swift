/// Replaces every occurrence of a literal string (HF `normalizers.Replace` with a `String`
/// pattern; regex patterns are rejected at load). LLaMA-1/2: " " → "▁".
struct ReplaceNormalizer: Normalizer {
    let pattern: [Unicode.Scalar]
    let replacement: [Unicode.Scalar]

    func normalize(_ text: NormalizedText) -> NormalizedText {
        var result = text
        result.replace(pattern, with: replacement)
        return result
    }
}

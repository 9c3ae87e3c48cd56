/// Applies normalizers in order (HF `normalizers.Sequence`).
struct SequenceNormalizer: Normalizer {
    let normalizers: [any Normalizer]

    func normalize(_ text: NormalizedText) -> NormalizedText {
        normalizers.reduce(text) { $1.normalize($0) }
    }
}

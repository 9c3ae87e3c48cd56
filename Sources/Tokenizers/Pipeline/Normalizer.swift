/// Stage 1 of the pipeline: rewrites the text before it is split (HF `normalizer`).
///
/// Conformers: `PrependNormalizer`, `ReplaceNormalizer`, `SequenceNormalizer`. Every rewrite keeps
/// alignments (see `NormalizedText`) so that offsets still point into the original text.
protocol Normalizer: Sendable {
    func normalize(_ text: NormalizedText) -> NormalizedText
}

/// Applies pre-tokenizers in order, each to every piece the previous one produced
/// (HF `pre_tokenizers.Sequence`). LLaMA-3: `Split` (its regex), then `ByteLevel`.
struct SequencePreTokenizer: PreTokenizer {
    let preTokenizers: [any PreTokenizer]

    func preTokenize(_ piece: NormalizedText) -> [NormalizedText] {
        preTokenizers.reduce([piece]) { pieces, stage in pieces.flatMap(stage.preTokenize) }
    }
}

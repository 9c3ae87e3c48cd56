/// Stage 2: splits a normalized piece into the "words" the model tokenizes independently
/// (HF `pre_tokenizer`). A pre-tokenizer may also rewrite a piece (ByteLevel maps bytes to
/// printable characters). Empty pieces are dropped, as HF does.
protocol PreTokenizer: Sendable {
    func preTokenize(_ piece: NormalizedText) -> [NormalizedText]
}

/// Stage 3: turns one pre-tokenized word into token ids with their original offsets
/// (HF `model`; here always `BPEModel`). Immutable; safe to share between threads.
protocol TokenizationModel: Sendable {
    func tokenize(_ word: NormalizedText) -> [Token]
}

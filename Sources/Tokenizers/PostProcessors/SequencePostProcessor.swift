/// Applies post-processors in order (HF `processors.Sequence`). LLaMA-3: ByteLevel, then the template.
struct SequencePostProcessor: PostProcessor {
    let processors: [any PostProcessor]

    func process(_ tokens: [Token]) -> [Token] {
        processors.reduce(tokens) { $1.process($0) }
    }
}

/// HF's `processors.ByteLevel` with `trim_offsets: false` changes nothing (LLaMA-3 writes it that
/// way). `trim_offsets: true` is rejected at load: TODO(tokenizers) if a GPT-2-style model needs it.
struct IdentityPostProcessor: PostProcessor {
    func process(_ tokens: [Token]) -> [Token] { tokens }
}

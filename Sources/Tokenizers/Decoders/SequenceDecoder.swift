/// Applies decoders in order (HF `decoders.Sequence`).
/// LLaMA-2: Replace("▁" → " "), ByteFallback, Fuse, Strip(" ", 1, 0).
struct SequenceDecoder: Decoder {
    let decoders: [any Decoder]

    func decode(_ pieces: [String]) -> [String] {
        decoders.reduce(pieces) { $1.decode($0) }
    }
}

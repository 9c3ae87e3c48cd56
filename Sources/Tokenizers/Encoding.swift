/// The result of `Tokenizer.encode`: token ids and, for each, where it came from in the input.
///
/// `offsets[i]` is a range of *Unicode scalar* offsets into the original text (what Python's `str`
/// indexes; HF `tokenizers`' char offsets). Special tokens added by the template (BOS) get `0..<0`.
/// Tokens that share a scalar (byte-fallback bytes of one emoji, byte-level pieces of one "é")
/// all get that scalar's range. Example (LLaMA-2): "Hi you" → ids [1, 6324, 366],
/// offsets [0..<0, 0..<2, 2..<6] (the space belongs to "▁you").
public struct Encoding: Sendable, Equatable {
    public var ids: [Int]
    public var offsets: [Range<Int>]

    public init(ids: [Int], offsets: [Range<Int>]) {
        self.ids = ids
        self.offsets = offsets
    }
}

/// Maps every UTF-8 byte of a piece to a printable character (GPT-2's byte-to-unicode table, see
/// `ByteLevelAlphabet`), so a byte-level BPE never meets an unknown character
/// (HF `pre_tokenizers.ByteLevel`).
///
/// Each byte character keeps the origin of the scalar it came from: "é" (2 bytes) becomes "Ã©",
/// both characters pointing at the one original "é".
/// `addPrefixSpace` puts " " before a piece that does not start with one (applied to every piece
/// the previous stage produced, as HF does); `useRegex` first splits with the GPT-2 pattern.
/// LLaMA-3 uses neither.
struct ByteLevelPreTokenizer: PreTokenizer {
    let addPrefixSpace: Bool
    let useRegex: Bool

    func preTokenize(_ piece: NormalizedText) -> [NormalizedText] {
        var text = piece
        if addPrefixSpace, text.scalars.first != " " { text.prepend([" "]) }
        let pieces = useRegex
            ? SplitPreTokenizer(pattern: GPT2SplitPattern(), behavior: .isolated).preTokenize(text)
            : [text]
        return pieces.map(Self.byteLevelCharacters).filter { !$0.isEmpty }
    }

    /// `piece` with each scalar replaced by the characters of its UTF-8 bytes (no per-scalar arrays:
    /// this runs on every word of a LLaMA-3 input).
    private static func byteLevelCharacters(_ piece: NormalizedText) -> NormalizedText {
        var scalars: [Unicode.Scalar] = []
        var origins: [Range<Int>] = []
        scalars.reserveCapacity(piece.scalars.count + piece.scalars.count / 2)
        origins.reserveCapacity(scalars.capacity)
        for (scalar, origin) in zip(piece.scalars, piece.origins) {
            UTF8.encode(scalar) { byte in
                scalars.append(ByteLevelAlphabet.character[Int(byte)])
                origins.append(origin)
            }
        }
        return NormalizedText(scalars: scalars, origins: origins, originalRange: piece.originalRange)
    }
}

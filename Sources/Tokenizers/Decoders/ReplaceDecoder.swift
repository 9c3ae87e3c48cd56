/// Replaces a literal in every piece (HF `decoders.Replace`). LLaMA-2: "▁" → " ".
struct ReplaceDecoder: Decoder {
    let pattern: [Unicode.Scalar]
    let replacement: [Unicode.Scalar]

    func decode(_ pieces: [String]) -> [String] {
        pieces.map { piece in
            var text = NormalizedText(original: Array(piece.unicodeScalars), range: 0..<piece.unicodeScalars.count)
            text.replace(pattern, with: replacement)
            var result = String.UnicodeScalarView()
            result.append(contentsOf: text.scalars)
            return String(result)
        }
    }
}

/// Removes up to `start` leading and `stop` trailing copies of `content` from every piece
/// (HF `decoders.Strip`). LLaMA-2 strips the one space its "▁" prefix became.
struct StripDecoder: Decoder {
    let content: Unicode.Scalar
    let start: Int
    let stop: Int

    func decode(_ pieces: [String]) -> [String] {
        pieces.map { piece in
            let scalars = Array(piece.unicodeScalars)
            var lower = 0
            while lower < min(start, scalars.count), scalars[lower] == content { lower += 1 }
            var upper = scalars.count
            while scalars.count - upper < stop, upper > lower, scalars[upper - 1] == content { upper -= 1 }
            var result = String.UnicodeScalarView()
            result.append(contentsOf: scalars[lower..<upper])
            return String(result)
        }
    }
}

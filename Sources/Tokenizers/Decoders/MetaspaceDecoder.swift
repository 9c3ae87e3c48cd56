/// Turns "▁" back into spaces and drops the prefix space of the first piece
/// (HF `decoders.Metaspace`; only when the prepend scheme is not `never`).
struct MetaspaceDecoder: Decoder {
    let replacement: Unicode.Scalar
    let stripsPrefix: Bool

    func decode(_ pieces: [String]) -> [String] {
        pieces.enumerated().map { index, piece in
            var result = String.UnicodeScalarView()
            for scalar in piece.unicodeScalars {
                result.append(scalar == replacement ? " " : scalar)
            }
            if index == 0, stripsPrefix, result.first == " " { result.removeFirst() }
            return String(result)
        }
    }
}

/// Maps byte-level characters back to bytes and reads them as UTF-8 (HF `decoders.ByteLevel`).
///
/// A piece with a character outside the byte alphabet contributes its own UTF-8 instead (HF's
/// rule, so added tokens survive); invalid UTF-8 is replaced by U+FFFD per maximal invalid
/// sequence, as Rust's `String::from_utf8_lossy` does.
struct ByteLevelDecoder: Decoder {
    func decode(_ pieces: [String]) -> [String] {
        var bytes: [UInt8] = []
        for piece in pieces {
            let mapped = piece.unicodeScalars.map { ByteLevelAlphabet.byte[$0.value] }
            if mapped.allSatisfy({ $0 != nil }) {
                bytes.append(contentsOf: mapped.compactMap { $0 })
            } else {
                bytes.append(contentsOf: piece.utf8)
            }
        }
        return [String(decoding: bytes, as: UTF8.self)]
    }
}

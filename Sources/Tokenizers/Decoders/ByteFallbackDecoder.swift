/// Turns runs of `<0xNN>` pieces back into text (HF `decoders.ByteFallback`).
///
/// A run that is valid UTF-8 becomes its string; an invalid run becomes one U+FFFD per byte piece
/// (not per invalid sequence — HF's rule). Example: ["<0xE2>", "<0x96>", "<0x81>"] → ["▁"].
struct ByteFallbackDecoder: Decoder {
    func decode(_ pieces: [String]) -> [String] {
        var result: [String] = []
        var bytes: [UInt8] = []
        func flush() {
            guard !bytes.isEmpty else { return }
            if let text = String(validating: bytes, as: UTF8.self) {
                result.append(text)
            } else {
                result.append(contentsOf: repeatElement("\u{FFFD}", count: bytes.count))
            }
            bytes.removeAll()
        }
        for piece in pieces {
            if let byte = Self.byteValue(piece) {
                bytes.append(byte)
            } else {
                flush()
                result.append(piece)
            }
        }
        flush()
        return result
    }

    /// The byte of a piece spelled exactly `<0xNN>` (6 UTF-8 bytes, two hex digits), else nil.
    static func byteValue(_ piece: String) -> UInt8? {
        let utf8 = Array(piece.utf8)
        guard utf8.count == 6, utf8[0] == UInt8(ascii: "<"), utf8[1] == UInt8(ascii: "0"),
              utf8[2] == UInt8(ascii: "x"), utf8[5] == UInt8(ascii: ">") else { return nil }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }
}

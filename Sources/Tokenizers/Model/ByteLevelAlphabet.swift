/// GPT-2's reversible map from the 256 byte values to printable Unicode characters
/// (`bytes_to_unicode` in openai/gpt-2 `encoder.py`, used unchanged by HF and LLaMA-3).
///
/// Printable Latin-1 bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) map to themselves; the other 68 bytes map,
/// in increasing order, to U+0100, U+0101, … So " " (0x20) is "Ġ" (U+0120) and "\n" is "Ċ".
enum ByteLevelAlphabet {
    /// `character[b]` is the character standing for byte `b`.
    static let character: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next) ?? " "  // U+0100...U+0143 are all valid scalars
                next += 1
            }
        }
        return table
    }()

    /// The inverse map: the byte a character stands for, or nil for any other character.
    static let byte: [UInt32: UInt8] = {
        var inverse: [UInt32: UInt8] = [:]
        for (value, scalar) in character.enumerated() { inverse[scalar.value] = UInt8(value) }
        return inverse
    }()

}

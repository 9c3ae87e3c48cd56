/// The character classes the LLaMA-3 and GPT-2 split patterns use: `\p{L}`, `\p{N}`, `\s`
/// (Unicode White_Space, as Oniguruma defines `\s`) and `[\r\n]`.
///
/// ASCII is answered from a table; other scalars ask `Unicode.Scalar.Properties`.
enum ScalarClass: UInt8, Sendable {
    case letter, number, newline, whitespace, other

    init(_ scalar: Unicode.Scalar) {
        if scalar.value < 128 {
            self = ScalarClass.ascii[Int(scalar.value)]
            return
        }
        if scalar.properties.isWhitespace { self = .whitespace; return }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            self = .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            self = .number
        default:
            self = .other
        }
    }

    /// `\s` — includes `\r` and `\n`.
    var isWhitespace: Bool { self == .whitespace || self == .newline }

    private static let ascii: [ScalarClass] = (0..<128).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "\r"), UInt8(ascii: "\n"): return .newline
        case UInt8(ascii: " "), 0x09, 0x0B, 0x0C: return .whitespace
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return .other
        }
    }
}

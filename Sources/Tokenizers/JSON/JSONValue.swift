/// A parsed JSON document, as `tokenizer.json` needs it.
///
/// Objects keep their members as an ordered list of `(key, value)` pairs instead of a dictionary.
/// That is deliberate: a Swift `String` (and therefore Foundation's `JSONSerialization` and
/// `JSONDecoder`) hashes and compares by *canonical equivalence*, so the LLaMA-2 vocabulary's two
/// distinct tokens "ά" U+03AC and "ά" U+1F71 would collapse into one dictionary key and a token
/// would be lost. Keeping pairs lets callers key by exact UTF-8 bytes (see `Vocabulary`).
///
/// Example: `{"a": [1, true]}` is `.object([("a", .array([.number(1), .bool(true)]))])`.
///
/// It does not preserve number spelling (numbers are `Double`s; integers up to 2^53 are exact).
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// The first member named `key` of an object (exact scalar comparison), or nil.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        let wanted = Array(key.unicodeScalars)
        return members.first { $0.key.unicodeScalars.elementsEqual(wanted) }?.value
    }

    /// A short name of the kind of value, for error messages ("an object", "a string", ...).
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    var isNull: Bool { if case .null = self { return true } else { return false } }
}

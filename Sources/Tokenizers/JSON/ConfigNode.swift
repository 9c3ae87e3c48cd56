/// A `JSONValue` together with its path in the document, so that every type error names the field:
/// `invalid tokenizer.json: model.vocab must be an object, found an array`.
///
/// Example: `try root.required("model").required("type").string()`.
///
/// Absent members and explicit `null`s are treated alike by `member(_:)` (HF's serde defaults do
/// the same for the optional fields of tokenizer.json).
struct ConfigNode {
    let value: JSONValue
    /// The path is assembled only when an error needs it: building "model.merges[123456]" for
    /// each of LLaMA-3's 280,147 merges would dominate the load time.
    private let location: Location

    private indirect enum Location {
        case root(String)
        case member(parent: Location, key: String)
        case element(parent: Location, index: Int)

        var path: String {
            switch self {
            case .root(let path): return path
            case .member(let parent, let key):
                let prefix = parent.path
                return prefix.isEmpty ? key : "\(prefix).\(key)"
            case .element(let parent, let index): return "\(parent.path)[\(index)]"
            }
        }
    }

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.location = .root(path)
    }

    private init(_ value: JSONValue, location: Location) {
        self.value = value
        self.location = location
    }

    /// Where this value sits in the document, e.g. `model.vocab`.
    var path: String { location.path }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func typeError(_ expected: String) -> TokenizerError {
        .invalidTokenizer("\(path.isEmpty ? "the document" : path) must be \(expected), found \(value.kindName)")
    }

    /// The member `key` if present and not null.
    func member(_ key: String) throws(TokenizerError) -> ConfigNode? {
        guard case .object = value else { throw typeError("an object") }
        guard let found = value[key], !found.isNull else { return nil }
        return ConfigNode(found, location: .member(parent: location, key: key))
    }

    /// The member `key`, which must be present and not null.
    func required(_ key: String) throws(TokenizerError) -> ConfigNode {
        guard let found = try member(key) else { throw .invalidTokenizer("\(child(key)) is missing") }
        return found
    }

    func string() throws(TokenizerError) -> String {
        guard case .string(let text) = value else { throw typeError("a string") }
        return text
    }

    func bool() throws(TokenizerError) -> Bool {
        guard case .bool(let flag) = value else { throw typeError("a boolean") }
        return flag
    }

    /// A non-negative integer below `limit` (ids, counts).
    func int(below limit: Int = 1 << 31) throws(TokenizerError) -> Int {
        guard case .number(let number) = value else { throw typeError("an integer") }
        guard number >= 0, number < Double(limit), let integer = Int(exactly: number) else {
            throw .invalidTokenizer("\(path) must be an integer in 0..<\(limit), found \(number)")
        }
        return integer
    }

    func array() throws(TokenizerError) -> [ConfigNode] {
        guard case .array(let elements) = value else { throw typeError("an array") }
        return elements.enumerated().map { ConfigNode($0.element, location: .element(parent: location, index: $0.offset)) }
    }

    /// The members of an object in document order, keys exactly as written.
    func members() throws(TokenizerError) -> [(key: String, node: ConfigNode)] {
        guard case .object(let pairs) = value else { throw typeError("an object") }
        return pairs.map { ($0.key, ConfigNode($0.value, location: .member(parent: location, key: $0.key))) }
    }

    /// A boolean member with a default for when it is absent or null.
    func flag(_ key: String, default defaultValue: Bool) throws(TokenizerError) -> Bool {
        try member(key)?.bool() ?? defaultValue
    }

    /// A string member with a default for when it is absent or null.
    func text(_ key: String, default defaultValue: String) throws(TokenizerError) -> String {
        try member(key)?.string() ?? defaultValue
    }
}

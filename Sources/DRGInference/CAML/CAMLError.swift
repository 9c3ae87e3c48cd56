/// Everything that can go wrong reading a CAML directory, as one line that names the file.
///
/// `drgcoder predict: cannot load the model in DIR: DIR/token2id.dict: pickle byte 17: names
/// posix.system, which a pickled token2id dict never uses; refused`.
public struct CAMLError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(path): \(reason)" }
}

/// What the store refuses, in words a coder or script author can act on. `description` is one line
/// and never contains note text.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case io(String)
    case notFound(String)
    case invalid(String)
    case conflict(String)

    public var description: String {
        switch self {
        case .io(let m), .notFound(let m), .invalid(let m), .conflict(let m): return m
        }
    }
}

/// One value a pickle builds, as data: nothing in a pickle is ever executed.
///
/// A pickle is a small stack program (Python's `pickletools` documents every opcode). Most opcodes
/// build plain values; two are dangerous: `GLOBAL` names any Python object and `REDUCE` calls it.
/// ``PickleMachine`` admits a `GLOBAL` only when its ``PickleGlobals`` list names it, and then
/// `REDUCE` records the call — a description of what Python *would* construct — for a reader that
/// knows the shape it expects (a PyTorch state dict, a pandas frame) to interpret.
///
/// Containers are indices into the ``Pickle`` that holds them, never nested Swift values. That keeps
/// two hostile inputs harmless: a pickle's memo may share one list between several parents (or put a
/// list inside itself), and a 100,000-deep nest of tuples would otherwise be freed by 100,000 nested
/// `deinit`s and overflow the stack.
public enum PickleValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too large for 64 bits (`LONG1` / `LONG4`), little-endian two's complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    /// Index into ``Pickle/tuples``.
    case tuple(Int)
    /// Index into ``Pickle/lists``.
    case list(Int)
    /// Index into ``Pickle/dicts`` (also `collections.OrderedDict`).
    case dict(Int)
    /// A `GLOBAL` the allow-list admitted: `module.name`, not called.
    case global(module: String, name: String)
    /// Index into ``Pickle/calls``: a recorded `REDUCE` of an admitted global.
    case call(Int)
    /// `BINPERSID`: a reference the file resolves outside the pickle (PyTorch: a storage); the id.
    case persistent(Int)

    /// The string, if this is one.
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The integer, if this is one that fits in 64 bits.
    public var int: Int? { if case .int(let i) = self { return i } else { return nil } }

    /// The kind of value, for error messages — never its content (a pickle may hold patient text).
    public var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global(let module, let name): return "\(module).\(name)"
        case .call: return "call"
        case .persistent: return "persistent id"
        }
    }
}

/// A recorded `REDUCE` of an allowed global: what Python would call, with what.
public struct PickleCall: Sendable {
    public var module: String
    public var name: String
    public var arguments: [PickleValue]
    /// `BUILD` state, when the pickle sets one.
    public var state: PickleValue?
    /// `module.name`
    public var qualifiedName: String { "\(module).\(name)" }
}

/// Everything one pickle built: the value it returned and the containers it refers to.
public struct Pickle: Sendable {
    public var root: PickleValue = .none
    public var tuples: [[PickleValue]] = []
    public var lists: [[PickleValue]] = []
    public var dicts: [[(key: PickleValue, value: PickleValue)]] = []
    /// `BUILD` state set on a dict (a PyTorch state dict's `_metadata`), by dict index; unused here.
    public var dictStates: [Int: PickleValue] = [:]
    public var calls: [PickleCall] = []
    /// The persistent ids, by ``PickleValue/persistent(_:)`` index.
    public var persistentIDs: [PickleValue] = []

    /// The elements of a tuple or a list; nil for anything else.
    public func elements(_ value: PickleValue) -> [PickleValue]? {
        switch value {
        case .tuple(let i): return tuples[i]
        case .list(let i): return lists[i]
        default: return nil
        }
    }

    /// The entries of a dict, in insertion order; nil for anything else.
    public func entries(_ value: PickleValue) -> [(key: PickleValue, value: PickleValue)]? {
        guard case .dict(let i) = value else { return nil }
        return dicts[i]
    }

    /// The recorded call, if `value` is one.
    public func call(_ value: PickleValue) -> PickleCall? {
        guard case .call(let i) = value else { return nil }
        return calls[i]
    }

    /// The value of `key` in a dict whose keys are strings.
    public func lookup(_ key: String, in value: PickleValue) -> PickleValue? {
        entries(value)?.first { $0.key.string == key }?.value
    }
}

/// The globals a reader accepts, and what each becomes.
///
/// Everything not listed is refused at its `GLOBAL` opcode, before anything could be called, with the
/// global's name in the error (`pickle names posix.system, which a PyTorch state dict never uses`).
public struct PickleGlobals: Sendable {
    public enum Role: Sendable {
        /// `REDUCE` with no arguments gives an empty dict (`collections.OrderedDict`).
        case dictFactory
        /// `REDUCE` is recorded as a ``PickleCall`` for the reader to interpret.
        case recordedCall
        /// Only referenced as a value (a storage type such as `torch.HalfStorage`); calling it is refused.
        case valueOnly
    }
    public var roles: [String: Role]
    /// What the refusal says the file should have been ("a PyTorch state dict").
    public var expected: String

    public init(roles: [String: Role], expected: String) {
        self.roles = roles; self.expected = expected
    }

    func role(module: String, name: String) -> Role? { roles["\(module).\(name)"] }
}

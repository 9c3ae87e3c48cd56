/// Runs a pickle as data: the subset of Python's pickle machine (protocols 0–5) that state dicts,
/// PEFT adapters and pandas/`dict` pickles use, with every `GLOBAL` checked against an allow-list.
///
/// Example:
/// ```swift
/// let (pickle, end) = try PickleMachine.run(bytes, globals: TorchCheckpoint.globals)
/// pickle.entries(pickle.root)      // the state dict's (name, tensor call) pairs
/// ```
/// Opcodes are those of CPython's `Lib/pickletools.py`. Implemented: the value opcodes (ints, longs,
/// floats, strings, bytes, None/True/False), tuples, lists, dicts (`EMPTY_*`, `MARK`, `TUPLE*`,
/// `LIST`, `DICT`, `APPEND(S)`, `SETITEM(S)`), the memo (`PUT`/`GET` in every width, `MEMOIZE`),
/// `GLOBAL`/`STACK_GLOBAL` (allow-listed), `REDUCE`/`NEWOBJ` (recorded, never called), `BUILD`
/// (on a dict or a recorded call), `BINPERSID`, `POP`, `POP_MARK`, `DUP`, `PROTO`, `FRAME`, `STOP`.
/// Refused with the opcode's name: everything else (`INST`, `OBJ`, `EXT*`, sets, out-of-band buffers,
/// the text `PERSID`), which no state dict uses.
///
/// Contract: every length is checked against the bytes left before anything is read or allocated;
/// a truncated or malformed pickle throws ``PickleError`` with the byte offset. Cost is linear in the
/// pickle's length. Does not: follow persistent ids (the caller resolves them), or recurse.
public enum PickleMachine {
    public static func run(_ bytes: UnsafeRawBufferPointer, globals: PickleGlobals) throws(PickleError) -> (pickle: Pickle, end: Int) {
        var machine = State(bytes: bytes, globals: globals)
        let root = try machine.execute()
        machine.pickle.root = root
        return (machine.pickle, machine.position)
    }

    /// Convenience for tests and small files.
    public static func run(_ bytes: [UInt8], globals: PickleGlobals) throws(PickleError) -> (pickle: Pickle, end: Int) {
        do {
            return try bytes.withUnsafeBytes { raw in try run(raw, globals: globals) }
        } catch let error as PickleError {
            throw error
        } catch {
            throw PickleError(offset: 0, reason: "\(error)")
        }
    }

    private enum Item {
        case value(PickleValue)
        case mark
    }

    private struct State {
        let bytes: UnsafeRawBufferPointer
        let globals: PickleGlobals
        var position = 0
        var stack: [Item] = []
        var memo: [Int: PickleValue] = [:]
        var pickle = Pickle()
        var opcodeOffset = 0

        init(bytes: UnsafeRawBufferPointer, globals: PickleGlobals) {
            self.bytes = bytes; self.globals = globals
        }

        func fail(_ reason: String) -> PickleError { PickleError(offset: opcodeOffset, reason: reason) }

        // MARK: Reading the byte stream

        mutating func take(_ count: Int) throws(PickleError) -> UnsafeRawBufferPointer {
            guard count >= 0, count <= bytes.count - position else {
                throw fail("needs \(count) bytes but \(bytes.count - position) remain (truncated)")
            }
            defer { position += count }
            return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
        }

        mutating func byte() throws(PickleError) -> UInt8 { try take(1)[0] }

        mutating func littleEndian(_ count: Int) throws(PickleError) -> UInt64 {
            let raw = try take(count)
            var value: UInt64 = 0
            for i in (0..<count).reversed() { value = value << 8 | UInt64(raw[i]) }
            return value
        }

        mutating func length(_ width: Int) throws(PickleError) -> Int {
            let value = try littleEndian(width)
            guard value <= UInt64(bytes.count - position) else {
                throw fail("declares \(value) bytes but \(bytes.count - position) remain (truncated)")
            }
            return Int(value)
        }

        mutating func line() throws(PickleError) -> String {
            var end = position
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            guard end < bytes.count else { throw fail("a text argument has no end of line (truncated)") }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
            position = end + 1
            return text
        }

        mutating func utf8(_ count: Int) throws(PickleError) -> String {
            let raw = try take(count)
            guard let text = String(validating: raw, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
            return text
        }

        // MARK: The stack

        mutating func push(_ value: PickleValue) { stack.append(.value(value)) }

        mutating func pop() throws(PickleError) -> PickleValue {
            guard let last = stack.popLast() else { throw fail("stack underflow") }
            guard case .value(let value) = last else { throw fail("a MARK where a value was expected") }
            return value
        }

        mutating func top() throws(PickleError) -> PickleValue {
            guard let last = stack.last, case .value(let value) = last else { throw fail("stack underflow") }
            return value
        }

        /// The values above the topmost MARK, which is removed.
        mutating func popToMark() throws(PickleError) -> [PickleValue] {
            guard let markIndex = stack.lastIndex(where: { if case .mark = $0 { return true } else { return false } }) else {
                throw fail("no MARK on the stack")
            }
            let values = stack[(markIndex + 1)...].map { item -> PickleValue in
                if case .value(let value) = item { return value } else { return .none }
            }
            stack.removeSubrange(markIndex...)
            return values
        }

        mutating func tuple(_ items: [PickleValue]) -> PickleValue {
            pickle.tuples.append(items)
            return .tuple(pickle.tuples.count - 1)
        }

        mutating func get(_ index: Int) throws(PickleError) -> PickleValue {
            guard let value = memo[index] else { throw fail("memo slot \(index) was never set") }
            return value
        }

        mutating func put(_ index: Int) throws(PickleError) {
            guard index >= 0 else { throw fail("negative memo slot") }
            memo[index] = try top()
        }

        // MARK: Globals and calls

        mutating func global(module: String, name: String) throws(PickleError) -> PickleValue {
            guard globals.role(module: module, name: name) != nil else {
                throw fail("names \(module).\(name), which \(globals.expected) never uses; refused")
            }
            return .global(module: module, name: name)
        }

        mutating func reduce(_ callable: PickleValue, _ arguments: PickleValue) throws(PickleError) -> PickleValue {
            guard case .global(let module, let name) = callable else { throw fail("REDUCE of a \(callable.kind), not a global") }
            guard let args = pickle.elements(arguments) else { throw fail("REDUCE arguments are a \(arguments.kind), not a tuple") }
            switch globals.role(module: module, name: name) {
            case .dictFactory:
                guard args.isEmpty else { throw fail("\(module).\(name) called with arguments") }
                pickle.dicts.append([])
                return .dict(pickle.dicts.count - 1)
            case .recordedCall:
                pickle.calls.append(PickleCall(module: module, name: name, arguments: args))
                return .call(pickle.calls.count - 1)
            case .valueOnly, .none:
                throw fail("calls \(module).\(name), which \(globals.expected) never calls; refused")
            }
        }

        mutating func append(_ items: [PickleValue], to target: PickleValue) throws(PickleError) {
            guard case .list(let i) = target else { throw fail("APPEND to a \(target.kind), not a list") }
            pickle.lists[i].append(contentsOf: items)
        }

        mutating func setItems(_ items: [PickleValue], in target: PickleValue) throws(PickleError) {
            guard case .dict(let i) = target else { throw fail("SETITEM on a \(target.kind), not a dict") }
            guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of values") }
            for pair in stride(from: 0, to: items.count, by: 2) {
                pickle.dicts[i].append((items[pair], items[pair + 1]))
            }
        }

        // MARK: The loop

        mutating func execute() throws(PickleError) -> PickleValue {
            while true {
                opcodeOffset = position
                let opcode = try byte()
                switch opcode {
                case 0x80: _ = try byte()                                     // PROTO
                case 0x95: _ = try littleEndian(8)                            // FRAME (a hint only)
                case 0x2E: return try pop()                                   // STOP
                case 0x28: stack.append(.mark)                                // MARK
                case 0x30: _ = try pop()                                      // POP
                case 0x31: _ = try popToMark()                                // POP_MARK
                case 0x32: push(try top())                                    // DUP
                case 0x4E: push(.none)                                        // NONE
                case 0x88: push(.bool(true))                                  // NEWTRUE
                case 0x89: push(.bool(false))                                 // NEWFALSE
                case 0x4A: push(.int(Int(Int32(truncatingIfNeeded: try littleEndian(4)))))   // BININT
                case 0x4B: push(.int(Int(try byte())))                                        // BININT1
                case 0x4D: push(.int(Int(try littleEndian(2))))                               // BININT2
                case 0x8A: push(try long(try length(1)))                      // LONG1
                case 0x8B: push(try long(try length(4)))                      // LONG4
                case 0x49:                                                    // INT (text)
                    let text = try line()
                    if text == "00" { push(.bool(false)) } else if text == "01" { push(.bool(true)) }
                    else if let value = Int(text) { push(.int(value)) } else { throw fail("INT \"\(text.prefix(20))\" is not a number") }
                case 0x4C:                                                    // LONG (text)
                    let text = try line()
                    guard let value = Int(text.hasSuffix("L") ? String(text.dropLast()) : text) else { throw fail("LONG is not a 64-bit number") }
                    push(.int(value))
                case 0x47: push(.float(Double(bitPattern: try littleEndian(8).byteSwapped)))   // BINFLOAT (big-endian)
                case 0x46:                                                    // FLOAT (text)
                    guard let value = Double(try line()) else { throw fail("FLOAT is not a number") }
                    push(.float(value))
                case 0x58: push(.string(try utf8(try length(4))))             // BINUNICODE
                case 0x8C: push(.string(try utf8(try length(1))))             // SHORT_BINUNICODE
                case 0x8D: push(.string(try utf8(try length(8))))             // BINUNICODE8
                case 0x55: push(.string(latin1(try take(try length(1)))))     // SHORT_BINSTRING
                case 0x54: push(.string(latin1(try take(try length(4)))))     // BINSTRING
                case 0x43: push(.bytes(Array(try take(try length(1)))))       // SHORT_BINBYTES
                case 0x42: push(.bytes(Array(try take(try length(4)))))       // BINBYTES
                case 0x8E: push(.bytes(Array(try take(try length(8)))))       // BINBYTES8
                case 0x29: push(tuple([]))                                    // EMPTY_TUPLE
                case 0x74: push(tuple(try popToMark()))                       // TUPLE
                case 0x85: let a = try pop(); push(tuple([a]))                // TUPLE1
                case 0x86: let b = try pop(), a = try pop(); push(tuple([a, b]))                  // TUPLE2
                case 0x87: let c = try pop(), b = try pop(), a = try pop(); push(tuple([a, b, c])) // TUPLE3
                case 0x5D: pickle.lists.append([]); push(.list(pickle.lists.count - 1))           // EMPTY_LIST
                case 0x6C: pickle.lists.append(try popToMark()); push(.list(pickle.lists.count - 1))  // LIST
                case 0x7D: pickle.dicts.append([]); push(.dict(pickle.dicts.count - 1))           // EMPTY_DICT
                case 0x64:                                                    // DICT
                    let items = try popToMark()
                    pickle.dicts.append([]); let dict = PickleValue.dict(pickle.dicts.count - 1)
                    try setItems(items, in: dict); push(dict)
                case 0x61: let item = try pop(); try append([item], to: try top())                // APPEND
                case 0x65: let items = try popToMark(); try append(items, to: try top())          // APPENDS
                case 0x73: let value = try pop(), key = try pop(); try setItems([key, value], in: try top())  // SETITEM
                case 0x75: let items = try popToMark(); try setItems(items, in: try top())        // SETITEMS
                case 0x71: try put(Int(try byte()))                           // BINPUT
                case 0x72: try put(Int(try littleEndian(4)))                  // LONG_BINPUT
                case 0x70:                                                    // PUT (text)
                    guard let index = Int(try line()) else { throw fail("PUT index is not a number") }
                    try put(index)
                case 0x94: try put(memo.count)                                // MEMOIZE
                case 0x68: push(try get(Int(try byte())))                     // BINGET
                case 0x6A: push(try get(Int(try littleEndian(4))))            // LONG_BINGET
                case 0x67:                                                    // GET (text)
                    guard let index = Int(try line()) else { throw fail("GET index is not a number") }
                    push(try get(index))
                case 0x63:                                                    // GLOBAL
                    let module = try line(), name = try line()
                    push(try global(module: module, name: name))
                case 0x93:                                                    // STACK_GLOBAL
                    let name = try pop(), module = try pop()
                    guard let m = module.string, let n = name.string else { throw fail("STACK_GLOBAL needs two strings") }
                    push(try global(module: m, name: n))
                case 0x52, 0x81:                                              // REDUCE, NEWOBJ
                    let arguments = try pop(), callable = try pop()
                    push(try reduce(callable, arguments))
                case 0x62:                                                    // BUILD
                    let state = try pop(), target = try top()
                    switch target {
                    case .dict(let i): pickle.dictStates[i] = state
                    case .call(let i): pickle.calls[i].state = state
                    default: throw fail("BUILD on a \(target.kind)")
                    }
                case 0x51: let id = try pop(); pickle.persistentIDs.append(id); push(.persistent(pickle.persistentIDs.count - 1))  // BINPERSID
                default:
                    throw fail("opcode \(Self.name(of: opcode)) is not allowed in \(globals.expected)")
                }
            }
        }

        func latin1(_ raw: UnsafeRawBufferPointer) -> String {
            String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
        }

        mutating func long(_ count: Int) throws(PickleError) -> PickleValue {
            let raw = Array(try take(count))
            guard count <= 8 else { return .bigInt(raw) }
            guard count > 0 else { return .int(0) }
            var value: UInt64 = 0
            for i in (0..<count).reversed() { value = value << 8 | UInt64(raw[i]) }
            if count < 8, raw[count - 1] & 0x80 != 0 { value |= ~0 << (8 * UInt64(count)) }   // sign-extend
            return .int(Int(Int64(bitPattern: value)))
        }

        static func name(of opcode: UInt8) -> String {
            let names: [UInt8: String] = [0x69: "INST", 0x6F: "OBJ", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4",
                                          0x8F: "EMPTY_SET", 0x90: "ADDITEMS", 0x91: "FROZENSET", 0x92: "NEWOBJ_EX",
                                          0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER",
                                          0x50: "PERSID", 0x53: "STRING", 0x56: "UNICODE"]
            return names[opcode].map { "\($0) (0x\(String(opcode, radix: 16)))" } ?? "0x\(String(opcode, radix: 16))"
        }
    }
}

/// A pickle that cannot be read as data, with the byte offset of the opcode at fault.
public struct PickleError: Error, CustomStringConvertible, Equatable, Sendable {
    public var offset: Int
    public var reason: String
    public var description: String { "pickle byte \(offset): \(reason)" }
}

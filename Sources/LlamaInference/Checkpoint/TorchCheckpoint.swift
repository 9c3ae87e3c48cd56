import Foundation

/// A PyTorch `torch.save` file of a state dict (`pytorch_model.bin`, `adapter_model.bin`,
/// `checkpoint.bin`), read as data and memory-mapped: the tensors point into the file.
///
/// Two layouts, told apart by their first bytes:
/// - **zip** (PyTorch ≥ 1.6): a stored zip holding `<archive>/data.pkl` (the pickle) and one entry
///   `<archive>/data/<key>` per storage, 64-byte aligned.
/// - **legacy** (PyTorch ≤ 1.5, `_use_new_zipfile_serialization=False`): five pickles in a row — the
///   magic number `0x1950a86a20f9469cfc6c`, the protocol version 1001, a `sys_info` dict, the state
///   dict, the list of storage keys — then each storage in that order as an int64 element count
///   followed by its raw bytes.
///
/// In both, a tensor is the call `torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
/// requires_grad, hooks)` (possibly wrapped in `torch._utils._rebuild_parameter`), and a storage is
/// the persistent id `("storage", torch.HalfStorage, key, location, numel[, view])`.
/// ``globals`` lists every global such a file may name; any other is refused by name before anything
/// is built (a pickle that names `posix.system` is an error, never a call).
///
/// Example:
/// ```swift
/// let file = try TorchCheckpoint(url: dir.appendingPathComponent("pytorch_model-00001-of-00033.bin"))
/// file.tensors["model.layers.0.self_attn.q_proj.weight"]?.dtype    // .f16
/// ```
/// Contract: storages must lie inside the file and tensors inside their storage (overflow-checked);
/// data must be little-endian. A contiguous tensor is a view into the mapping (no copy); a strided
/// one (rare in a state dict) is gathered into an owned copy. Does not: read compressed zips, the
/// pre-0.4 tar format, quantized or sparse tensors, or anything but tensors as dict values.
public struct TorchCheckpoint: Sendable {
    public let path: String
    public let tensors: [String: TensorView]
    /// `zip` or `legacy`, for `model inspect`.
    public let format: String

    /// The globals a state dict uses (see the type's documentation).
    public static let globals: PickleGlobals = {
        var roles: [String: PickleGlobals.Role] = [
            "collections.OrderedDict": .dictFactory,
            "torch._utils._rebuild_tensor_v2": .recordedCall,
            "torch._utils._rebuild_parameter": .recordedCall,
        ]
        for name in storageTypes.keys { roles["torch.\(name)"] = .valueOnly }
        return PickleGlobals(roles: roles, expected: "a PyTorch state dict")
    }()

    /// `torch.XStorage` → element type.
    static let storageTypes: [String: TensorDType] = [
        "FloatStorage": .f32, "HalfStorage": .f16, "BFloat16Storage": .bf16, "DoubleStorage": .f64,
        "LongStorage": .i64, "IntStorage": .i32, "ShortStorage": .i16, "CharStorage": .i8,
        "ByteStorage": .u8, "BoolStorage": .bool,
    ]

    public init(url: URL) throws {
        try self.init(buffer: ByteBuffer(mapping: url), path: url.path)
    }

    public init(buffer: ByteBuffer, path: String) throws {
        self.path = path
        func fail(_ reason: String) -> LoadError { .malformedPyTorch(path: path, reason: reason) }
        let head = buffer.count >= 4 ? buffer.base.loadUnaligned(as: UInt32.self).littleEndian : 0
        do {
            if head == 0x0403_4B50 {
                tensors = try Self.readZip(buffer)
                format = "zip"
            } else if buffer.count >= 2, buffer.base.load(as: UInt8.self) == 0x80 {
                tensors = try Self.readLegacy(buffer)
                format = "legacy"
            } else {
                throw fail("neither a zip (PyTorch ≥ 1.6) nor a legacy pickle (PyTorch ≤ 1.5) checkpoint")
            }
        } catch let error as PickleError {
            throw fail(error.description)
        } catch let error as ZipError {
            throw fail(error.description)
        } catch let error as CheckpointFault {
            throw fail(error.reason)
        }
    }

    /// A reason a checkpoint's structure is wrong (wrapped into ``LoadError/malformedPyTorch(path:reason:)``).
    struct CheckpointFault: Error { var reason: String }

    /// A storage: its element type and bytes (`numel × size`), still in the mapping.
    struct Storage {
        var dtype: TensorDType
        var bytes: UnsafeRawPointer
        var count: Int
    }

    // MARK: The zip layout

    static func readZip(_ buffer: ByteBuffer) throws -> [String: TensorView] {
        let archive = try ZipArchive(buffer: buffer)
        let pickles = archive.names.filter { $0.hasSuffix("/data.pkl") && $0.split(separator: "/").count == 2 }
        guard pickles.count == 1, let pickleName = pickles.first else {
            throw CheckpointFault(reason: pickles.isEmpty ? "zip archive without <archive>/data.pkl (not a torch.save file)"
                                                        : "zip archive with \(pickles.count) data.pkl entries")
        }
        let prefix = String(pickleName.dropLast("data.pkl".count))
        if archive.entries[prefix + "byteorder"] != nil {
            let order = String(decoding: try archive.data(of: prefix + "byteorder"), as: UTF8.self)
            guard order == "little" else { throw CheckpointFault(reason: "byteorder \"\(order.prefix(16))\" (only little-endian data is read)") }
        }
        let (pickle, _) = try PickleMachine.run(try archive.data(of: pickleName), globals: globals)
        var storages: [String: Storage] = [:]
        return try tensors(of: pickle, buffer: buffer) { id in
            let (key, dtype, numel, view) = try storageID(id, in: pickle)
            guard view == nil else { throw CheckpointFault(reason: "storage \(key) has legacy view metadata in a zip file") }
            if let known = storages[key] { return known }
            let data = try archive.data(of: prefix + "data/" + key)
            let (bytes, overflow) = numel.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, bytes <= data.count else {
                throw CheckpointFault(reason: "storage \(key) needs \(numel) × \(dtype.byteSize) bytes but its entry holds \(data.count)")
            }
            guard let base = data.baseAddress ?? (bytes == 0 ? buffer.base : nil) else { throw CheckpointFault(reason: "storage \(key) has no bytes") }
            let storage = Storage(dtype: dtype, bytes: base, count: bytes)
            storages[key] = storage
            return storage
        }
    }

    // MARK: The legacy layout

    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]  // 0x1950a86a20f9469cfc6c, little-endian

    static func readLegacy(_ buffer: ByteBuffer) throws -> [String: TensorView] {
        let all = UnsafeRawBufferPointer(start: buffer.base, count: buffer.count)
        var position = 0
        func next() throws -> Pickle {
            let (pickle, end) = try PickleMachine.run(UnsafeRawBufferPointer(rebasing: all[position...]), globals: globals)
            position += end
            return pickle
        }
        let magic = try next()
        guard case .bigInt(let digits) = magic.root, digits == legacyMagic else {
            throw CheckpointFault(reason: "a pickle that is not a torch.save file (no PyTorch magic number)")
        }
        guard try next().root == .int(1001) else { throw CheckpointFault(reason: "legacy protocol version is not 1001") }
        let info = try next()
        if let little = info.lookup("little_endian", in: info.root), little != .bool(true) {
            throw CheckpointFault(reason: "the file was written on a big-endian machine (only little-endian data is read)")
        }
        let main = try next()
        let keyList = try next()
        guard let keys = keyList.elements(keyList.root)?.compactMap(\.string), keys.count == keyList.elements(keyList.root)?.count else {
            throw CheckpointFault(reason: "the storage key list is not a list of strings")
        }
        // Each storage in key order: int64 element count, then the bytes. The element size comes from
        // the storage type named in the state dict's persistent ids.
        var dtypeOf: [String: TensorDType] = [:]
        for id in main.persistentIDs {
            let (key, dtype, _, _) = try storageID(id, in: main)
            if let other = dtypeOf[key], other != dtype { throw CheckpointFault(reason: "storage \(key) is named with two types") }
            dtypeOf[key] = dtype
        }
        var roots: [String: Storage] = [:]
        for key in keys {
            guard let dtype = dtypeOf[key] else { throw CheckpointFault(reason: "storage \(key) is listed but no tensor uses it") }
            guard position <= all.count - 8 else { throw CheckpointFault(reason: "storage \(key): the file ends before its size (truncated)") }
            let numel = Int(truncatingIfNeeded: all.loadUnaligned(fromByteOffset: position, as: Int64.self).littleEndian)
            position += 8
            let (bytes, overflow) = numel.multipliedReportingOverflow(by: dtype.byteSize)
            guard numel >= 0, !overflow, bytes <= all.count - position else {
                throw CheckpointFault(reason: "storage \(key): \(numel) elements run past the end of the file (truncated)")
            }
            roots[key] = Storage(dtype: dtype, bytes: buffer.base + position, count: bytes)
            position += bytes
        }
        return try tensors(of: main, buffer: buffer) { id in
            let (key, dtype, numel, view) = try storageID(id, in: main)
            guard let root = roots[key] else { throw CheckpointFault(reason: "storage \(key) is used but not in the key list") }
            guard let (viewKey, offset, size) = view else {
                let (needed, overflow) = numel.multipliedReportingOverflow(by: dtype.byteSize)
                guard !overflow, needed <= root.count else { throw CheckpointFault(reason: "storage \(key) is shorter than its declared \(numel) elements") }
                return root
            }
            let (start, o1) = offset.multipliedReportingOverflow(by: dtype.byteSize)
            let (length, o2) = size.multipliedReportingOverflow(by: dtype.byteSize)
            guard offset >= 0, size >= 0, !o1, !o2, start <= root.count, length <= root.count - start else {
                throw CheckpointFault(reason: "storage view \(viewKey) lies outside storage \(key)")
            }
            return Storage(dtype: dtype, bytes: root.bytes + start, count: length)
        }
    }

    // MARK: Shared: persistent ids and tensor calls

    /// `("storage", torch.XStorage, key, location, numel[, (view_key, offset, size) | None])`
    static func storageID(_ id: PickleValue, in pickle: Pickle) throws -> (key: String, dtype: TensorDType, numel: Int, view: (String, Int, Int)?) {
        guard let parts = pickle.elements(id), parts.count == 5 || parts.count == 6, parts[0].string == "storage" else {
            throw CheckpointFault(reason: "a persistent id that is not a storage")
        }
        guard case .global(let module, let name) = parts[1], module == "torch", let dtype = storageTypes[name] else {
            throw CheckpointFault(reason: "storage type \(parts[1].kind) is not a torch storage")
        }
        guard let key = parts[2].string, !key.contains("/"), !key.hasPrefix("."), let numel = parts[4].int, numel >= 0 else {
            throw CheckpointFault(reason: "a storage id with a bad key or size")
        }
        var view: (String, Int, Int)?
        if parts.count == 6, parts[5] != .none {
            guard let v = pickle.elements(parts[5]), v.count == 3, let viewKey = v[0].string, let offset = v[1].int, let size = v[2].int else {
                throw CheckpointFault(reason: "storage \(key) has malformed view metadata")
            }
            view = (viewKey, offset, size)
        }
        return (key, dtype, numel, view)
    }

    /// The root dict's entries as tensors; `storage` resolves a persistent id.
    static func tensors(of pickle: Pickle, buffer: ByteBuffer,
                        storage: (PickleValue) throws -> Storage) throws -> [String: TensorView] {
        guard let entries = pickle.entries(pickle.root) else {
            throw CheckpointFault(reason: "the pickle holds a \(pickle.root.kind), not a state dict")
        }
        var tensors: [String: TensorView] = [:]
        for (key, value) in entries {
            guard let name = key.string else { throw CheckpointFault(reason: "a state dict key is a \(key.kind), not a string") }
            guard tensors[name] == nil else { throw CheckpointFault(reason: "tensor \(name) appears twice") }
            tensors[name] = try tensor(name, value, in: pickle, storage: storage, buffer: buffer)
        }
        return tensors
    }

    static func tensor(_ name: String, _ value: PickleValue, in pickle: Pickle,
                       storage resolve: (PickleValue) throws -> Storage, buffer: ByteBuffer) throws -> TensorView {
        func fail(_ reason: String) -> CheckpointFault { CheckpointFault(reason: "\(name): \(reason)") }
        guard var call = pickle.call(value) else { throw fail("a \(value.kind), not a tensor") }
        if call.qualifiedName == "torch._utils._rebuild_parameter" {
            guard let inner = call.arguments.first, let tensorCall = pickle.call(inner) else { throw fail("a parameter without a tensor") }
            call = tensorCall
        }
        guard call.qualifiedName == "torch._utils._rebuild_tensor_v2", call.arguments.count >= 4 else {
            throw fail("\(call.qualifiedName) with \(call.arguments.count) arguments is not a tensor")
        }
        guard case .persistent(let idIndex) = call.arguments[0] else { throw fail("the tensor's storage is not a persistent id") }
        let storage = try resolve(pickle.persistentIDs[idIndex])
        guard let offset = call.arguments[1].int, offset >= 0,
              let shape = pickle.elements(call.arguments[2])?.compactMap(\.int),
              let stride = pickle.elements(call.arguments[3])?.compactMap(\.int),
              shape.count == pickle.elements(call.arguments[2])?.count, stride.count == shape.count,
              shape.allSatisfy({ $0 >= 0 }), stride.allSatisfy({ $0 >= 0 }) else {
            throw fail("malformed offset, size or stride")
        }
        let size = storage.dtype.byteSize
        var elements = 1, lastElement = offset
        for (dimension, step) in zip(shape, stride) {
            let (product, o1) = elements.multipliedReportingOverflow(by: dimension)
            let (reach, o2) = (dimension == 0 ? 0 : dimension - 1).multipliedReportingOverflow(by: step)
            let (last, o3) = lastElement.addingReportingOverflow(reach)
            guard !o1, !o2, !o3 else { throw fail("shape \(shape) overflows") }
            elements = product; lastElement = last
        }
        let storageElements = storage.count / size
        guard elements == 0 || lastElement < storageElements else {
            throw fail("shape \(shape) at offset \(offset) reaches element \(lastElement) of a \(storageElements)-element storage")
        }
        let contiguous = zip(shape, stride).reversed().reduce((true, 1)) { state, pair in
            (state.0 && (pair.0 == 1 || pair.1 == state.1), state.1 * pair.0)
        }.0
        if contiguous {
            return TensorView(name: name, dtype: storage.dtype, shape: shape, bytes: storage.bytes + offset * size,
                              byteCount: elements * size, buffer: buffer)
        }
        // Strided: gather element by element into an owned, contiguous copy.
        var copy = Data(count: elements * size)
        copy.withUnsafeMutableBytes { target in
            guard let out = target.baseAddress else { return }
            var index = [Int](repeating: 0, count: shape.count)
            for element in 0..<elements {
                let source = zip(index, stride).reduce(offset) { $0 + $1.0 * $1.1 }
                (out + element * size).copyMemory(from: storage.bytes + source * size, byteCount: size)
                var axis = shape.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < shape[axis] { break }
                    index[axis] = 0; axis -= 1
                }
            }
        }
        let owned = ByteBuffer(copying: copy)
        return TensorView(name: name, dtype: storage.dtype, shape: shape, bytes: owned.base, byteCount: elements * size, buffer: owned)
    }
}

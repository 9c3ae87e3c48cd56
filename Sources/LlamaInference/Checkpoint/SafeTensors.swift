import Foundation

/// Element types a safetensors header may name. The engine computes with F32, F16 and BF16; the others
/// are recognised so that a checkpoint holding, say, an `I64` buffer is reported by name, not as noise.
public enum TensorDType: String, Sendable, Codable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8"
    case bool = "BOOL", f8e4m3 = "F8_E4M3", f8e5m2 = "F8_E5M2"

    public var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .i8, .u8, .bool, .f8e4m3, .f8e5m2: return 1
        }
    }

    /// Whether the engine can compute with it.
    public var isFloatingPointWeight: Bool { self == .f32 || self == .f16 || self == .bf16 }
}

/// One tensor inside a safetensors file: where its bytes are, not the bytes themselves.
public struct TensorView: @unchecked Sendable {
    public var name: String
    public var dtype: TensorDType
    public var shape: [Int]
    /// The tensor's first byte; valid while `buffer` lives.
    public var bytes: UnsafeRawPointer
    public var byteCount: Int
    /// Keeps the mapping alive.
    public var buffer: ByteBuffer

    public var elementCount: Int { byteCount / dtype.byteSize }
}

/// A parsed safetensors file (https://github.com/huggingface/safetensors, "Format").
///
/// Layout: 8 bytes little-endian `N`, then `N` bytes of JSON mapping each tensor name to
/// `{"dtype": "F16", "shape": [rows, cols], "data_offsets": [begin, end]}` (offsets relative to the
/// first byte after the header; `__metadata__` holds string pairs), then the data.
///
/// Example:
/// ```swift
/// let file = try SafeTensorsFile(url: dir.appendingPathComponent("model.safetensors"))
/// let embed = file.tensors["model.embed_tokens.weight"]   // TensorView, dtype .bf16, shape [32000, 4096]
/// ```
/// Contract: every check is done here, once, with overflow-checked arithmetic: the header length fits
/// the file, the header is a JSON object of well-formed entries, each dtype is known, each shape's
/// element count times the dtype size equals its byte range, and each range lies inside the data.
/// No two tensors' byte ranges overlap (the safetensors reference refuses that too: two weights
/// sharing bytes is a crafted file, not a checkpoint). Nothing is copied: views point into the
/// mapping. Does not interpret `__metadata__`.
public struct SafeTensorsFile: Sendable {
    /// The safetensors reference refuses headers above 100 MB; so do we.
    public static let maximumHeaderLength = 100_000_000

    public let path: String
    public let tensors: [String: TensorView]

    public init(url: URL) throws {
        try self.init(buffer: ByteBuffer(mapping: url), path: url.path)
    }

    public init(buffer: ByteBuffer, path: String) throws {
        self.path = path
        func fail(_ reason: String) -> LoadError { .malformedSafetensors(path: path, reason: reason) }

        guard buffer.count >= 8 else { throw fail("\(buffer.count) bytes, shorter than the 8-byte header length") }
        let declared = buffer.base.loadUnaligned(as: UInt64.self).littleEndian
        guard declared <= UInt64(Self.maximumHeaderLength) else {
            throw fail("header length \(declared) exceeds the 100 MB limit")
        }
        let headerLength = Int(declared)
        guard headerLength <= buffer.count - 8 else {
            throw fail("header length \(headerLength) runs past the end of the \(buffer.count)-byte file")
        }
        let headerBytes = Data(bytes: buffer.base + 8, count: headerLength)
        let entries: [String: HeaderEntry]
        do {
            entries = try JSONDecoder().decode(Header.self, from: headerBytes).entries
        } catch let error as DecodingError {
            throw fail("header JSON: \(Self.summary(of: error))")
        } catch {
            throw fail("header JSON: \(error)")
        }

        let dataStart = 8 + headerLength
        let dataCount = buffer.count - dataStart
        var tensors: [String: TensorView] = [:]
        for (name, entry) in entries {
            guard let dtype = TensorDType(rawValue: entry.dtype) else { throw fail("\(name): unknown dtype \"\(entry.dtype)\"") }
            guard entry.shape.allSatisfy({ $0 >= 0 }) else { throw fail("\(name): negative dimension in shape \(entry.shape)") }
            guard entry.dataOffsets.count == 2 else { throw fail("\(name): data_offsets must be [begin, end]") }
            let begin = entry.dataOffsets[0], end = entry.dataOffsets[1]
            guard begin >= 0, begin <= end, end <= dataCount else {
                throw fail("\(name): data_offsets [\(begin), \(end)] outside the \(dataCount) data bytes")
            }
            var elements = 1
            for dimension in entry.shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw fail("\(name): shape \(entry.shape) overflows") }
                elements = product
            }
            let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, bytes == end - begin else {
                throw fail("\(name): shape \(entry.shape) of \(dtype.rawValue) needs \(overflow ? "more" : String(bytes)) bytes, data_offsets give \(end - begin)")
            }
            tensors[name] = TensorView(name: name, dtype: dtype, shape: entry.shape,
                                       bytes: buffer.base + dataStart + begin, byteCount: bytes, buffer: buffer)
        }
        let ranges = tensors.values.map { (name: $0.name, begin: (buffer.base + dataStart).distance(to: $0.bytes), count: $0.byteCount) }
            .filter { $0.count > 0 }.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }
        for (a, b) in zip(ranges, ranges.dropFirst()) where a.begin + a.count > b.begin {
            throw fail("\(a.name) and \(b.name): data_offsets overlap (bytes \(b.begin)…\(min(a.begin + a.count, b.begin + b.count) - 1) are in both)")
        }
        self.tensors = tensors
    }

    private struct HeaderEntry: Decodable {
        var dtype: String
        var shape: [Int]
        var dataOffsets: [Int]
        enum CodingKeys: String, CodingKey { case dtype, shape, dataOffsets = "data_offsets" }
    }

    /// The header object: tensor entries plus an ignored `__metadata__`.
    private struct Header: Decodable {
        var entries: [String: HeaderEntry] = [:]
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in container.allKeys where key.stringValue != "__metadata__" {
                entries[key.stringValue] = try container.decode(HeaderEntry.self, forKey: key)
            }
        }
    }

    /// One line for a decoding error: what was wrong and at which key.
    static func summary(of error: DecodingError) -> String {
        func at(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "" : " at \(path)"
        }
        switch error {
        case .typeMismatch(let type, let context): return "expected \(type)\(at(context))"
        case .valueNotFound(let type, let context): return "missing \(type) value\(at(context))"
        case .keyNotFound(let key, let context): return "missing key \"\(key.stringValue)\"\(at(context))"
        case .dataCorrupted(let context):
            return "not valid JSON\(at(context))"
        @unknown default: return "undecodable"
        }
    }
}

import Foundation

/// Builds safetensors bytes for tests: tensors in the given order, data packed, header padded to 8.
public struct SafeTensorsWriter {
    public struct Entry {
        public var name: String
        public var dtype: String
        public var shape: [Int]
        public var bytes: [UInt8]

        public init(name: String, dtype: String, shape: [Int], bytes: [UInt8]) {
            self.name = name; self.dtype = dtype; self.shape = shape; self.bytes = bytes
        }
    }
    public var entries: [Entry] = []

    public init() {}

    public mutating func add(_ name: String, shape: [Int], floats: [Float]) {
        var bytes: [UInt8] = []
        for f in floats { withUnsafeBytes(of: f.bitPattern.littleEndian) { bytes += $0 } }
        entries.append(Entry(name: name, dtype: "F32", shape: shape, bytes: bytes))
    }

    public mutating func add(_ name: String, shape: [Int], dtype: String, bytes: [UInt8]) {
        entries.append(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    public func data() -> Data {
        var offset = 0
        var fields: [String] = ["\"__metadata__\":{\"format\":\"pt\"}"]
        for entry in entries {
            let shape = entry.shape.map(String.init).joined(separator: ",")
            fields.append("\"\(entry.name)\":{\"dtype\":\"\(entry.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + entry.bytes.count)]}")
            offset += entry.bytes.count
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for entry in entries { out.append(contentsOf: entry.bytes) }
        return out
    }
}

import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// The committed fixture models (Tests/LlamaInferenceTests/Fixtures, see its README).
enum Fixtures {
    static var directory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }
    static func model(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The reference cases of a fixture directory (its `cases.json`); throws when missing or empty.
    static func cases(_ relativePath: String) throws -> [ReferenceCase] {
        try ReferenceCase.load(from: directory.appendingPathComponent(relativePath))
    }

    /// Models load once per process (they are immutable and `Sendable`).
    static let tinyF32 = Result { try LlamaSequenceClassifier.load(modelDirectory: model("tiny-f32"), threads: 1) }
}

/// Builds safetensors bytes for tests: tensors in the given order, data packed, header padded to 8.
struct SafeTensorsWriter {
    struct Entry { var name: String; var dtype: String; var shape: [Int]; var bytes: [UInt8] }
    var entries: [Entry] = []

    mutating func add(_ name: String, shape: [Int], floats: [Float]) {
        var bytes: [UInt8] = []
        for f in floats { withUnsafeBytes(of: f.bitPattern.littleEndian) { bytes += $0 } }
        entries.append(Entry(name: name, dtype: "F32", shape: shape, bytes: bytes))
    }

    mutating func add(_ name: String, shape: [Int], dtype: String, bytes: [UInt8]) {
        entries.append(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    func data() -> Data {
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

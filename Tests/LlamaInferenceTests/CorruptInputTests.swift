import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// Thousands of seeded mutations of a real checkpoint: each one loads (and runs) or fails with a
/// one-line `LoadError`; none may crash. A crash here would take the whole test process down.
@Suite struct CorruptInputTests {
    enum Mutation: CaseIterable { case truncate, flipHeaderByte, headerLength, dtype, shapeDigit, offsets, insertByte }

    struct Tally { var loaded = 0; var rejected: [Mutation: Int] = [:]; var messages = Set<String>() }

    static func mutate(_ original: [UInt8], headerLength: Int, _ kind: Mutation, _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        let headerRange = 8..<(8 + headerLength)
        func replaceInHeader(_ target: String, with replacement: String) {
            let header = String(decoding: bytes[headerRange], as: UTF8.self)
            let ranges = header.ranges(of: target)
            guard let range = ranges.randomElement(using: &rng) else { return }
            var edited = header
            edited.replaceSubrange(range, with: replacement)
            var newHeader = Array(edited.utf8)
            while newHeader.count < headerLength { newHeader.append(0x20) }
            let length = UInt64(newHeader.count)
            bytes = withUnsafeBytes(of: length.littleEndian) { Array($0) } + newHeader + Array(original[headerRange.upperBound...])
        }
        switch kind {
        case .truncate:
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
        case .flipHeaderByte:
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<headerRange.upperBound, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        case .headerLength:
            let choices: [UInt64] = [0, 1, UInt64(headerLength - 1), UInt64(headerLength + 1), UInt64(bytes.count),
                                     UInt64(Int.max), UInt64.max, UInt64.max - 7, rng.next(), 100_000_001]
            let value = choices.randomElement(using: &rng) ?? 0
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
        case .dtype:
            let replacement = ["F64", "I64", "XYZ", "BF16", "F16", "BOOL", "", "f32", "U8"].randomElement(using: &rng) ?? ""
            replaceInHeader("\"F32\"", with: "\"\(replacement)\"")
        case .shapeDigit:
            let replacement = ["0", "7", "-1", "99999999999", "1e3", "\"4\"", "18446744073709551615", "32,2", ""].randomElement(using: &rng) ?? ""
            replaceInHeader(["32", "37", "16", "738", "99"].randomElement(using: &rng) ?? "32", with: replacement)
        case .offsets:
            let replacement = ["[0,0]", "[1,0]", "[0]", "[0,99999999]", "[-4,0]", "null", "[0,4,8]"].randomElement(using: &rng) ?? "[]"
            let header = String(decoding: bytes[headerRange], as: UTF8.self)
            if let range = header.ranges(of: /\[\d+,\d+\]/).randomElement(using: &rng) {
                let start = header.utf8.distance(from: header.startIndex, to: range.lowerBound)
                let end = header.utf8.distance(from: header.startIndex, to: range.upperBound)
                replaceInHeader(String(header.utf8.dropFirst(start).prefix(end - start)) ?? "", with: replacement)
            }
        case .insertByte:
            bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 8..<headerRange.upperBound, using: &rng))
        }
        return bytes
    }

    @Test func thousandsOfMutatedCheckpointsNeverCrash() throws {
        let url = Fixtures.model("tiny-f32").appendingPathComponent("model.safetensors")
        let original = try [UInt8](Data(contentsOf: url))
        let headerLength = Int(original.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let config = try LlamaConfig.load(directory: Fixtures.model("tiny-f32"))
        var rng = SplitMix64(seed: 2026)
        var tally = Tally()
        for round in 0..<3500 {
            let kind = Mutation.allCases[round % Mutation.allCases.count]
            let bytes = Self.mutate(original, headerLength: headerLength, kind, &rng)
            do {
                let file = try SafeTensorsFile(buffer: ByteBuffer(copying: Data(bytes)), path: "mutant.safetensors")
                let weights = try LlamaWeights.load(config: config, store: TensorStore(source: "mutant", tensors: file.tensors))
                let logits = try LlamaSequenceClassifier(config: config, weights: weights, threads: 1).logits(tokenIDs: [1, 2, 3])
                #expect(logits.count == 738)
                tally.loaded += 1
            } catch let error as LoadError {
                let message = error.description
                #expect(!message.isEmpty && !message.contains("\n"), "\(kind): \(message)")
                tally.rejected[kind, default: 0] += 1
                tally.messages.insert(String(message.replacingOccurrences(of: #"\d+"#, with: "N", options: .regularExpression).prefix(90)))
            }
        }
        // Every kind of mutation produced rejections, and the messages are specific, not one generic line.
        for kind in Mutation.allCases { #expect(tally.rejected[kind, default: 0] > 50, "\(kind): \(tally.rejected[kind, default: 0])") }
        #expect(tally.messages.count > 30, "\(tally.messages.sorted().joined(separator: " | "))")
        #expect(tally.loaded + tally.rejected.values.reduce(0, +) == 3500)
    }

    @Test func specificCorruptionsGiveSpecificMessages() throws {
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try SafeTensorsFile(buffer: ByteBuffer(copying: Data(bytes)), path: "x"); return "loaded" } catch { return "\(error)" }
        }
        #expect(message([1, 2, 3]).contains("shorter than the 8-byte header length"))
        #expect(message([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).contains("exceeds the 100 MB limit"))
        #expect(message([16, 0, 0, 0, 0, 0, 0, 0, 0x7B]).contains("runs past the end"))
        #expect(message([2, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D]) == "loaded")  // "{}": a valid, empty file
        #expect(message([2, 0, 0, 0, 0, 0, 0, 0, 0x5B, 0x5D]).contains("header JSON"))
        var file = SafeTensorsWriter()
        file.add("w", shape: [2, 2], dtype: "F32", bytes: .init(repeating: 0, count: 12))
        #expect(message([UInt8](file.data())).contains("needs 16 bytes, data_offsets give 12"))
        var wide = SafeTensorsWriter()
        wide.add("w", shape: [Int.max, 4], dtype: "F32", bytes: [])
        #expect(message([UInt8](wide.data())).contains("overflows"))
        // Two tensors over the same bytes (a crafted header): refused, both named.
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let overlapping = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Array($0) } + Array(header.utf8) + [UInt8](repeating: 0, count: 12)
        #expect(message(overlapping).contains("a and b: data_offsets overlap"), "\(message(overlapping))")
        let adjacent = header.replacingOccurrences(of: "[4,12]", with: "[8,16]")
        #expect(message(withUnsafeBytes(of: UInt64(adjacent.utf8.count).littleEndian) { Array($0) } + Array(adjacent.utf8)
                        + [UInt8](repeating: 0, count: 16)) == "loaded")
    }

    @Test func mutatedConfigsAreErrorsToo() throws {
        let original = try [UInt8](Data(contentsOf: Fixtures.model("tiny-f32").appendingPathComponent("config.json")))
        let temp = try TemporaryDirectory(); defer { temp.cleanUp() }
        var rng = SplitMix64(seed: 7)
        var rejected = 0
        for _ in 0..<300 {
            var bytes = original
            if Bool.random(using: &rng) {
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            } else {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            try Data(bytes).write(to: temp.url.appendingPathComponent("config.json"))
            do { _ = try LlamaConfig.load(directory: temp.url) } catch let error as LoadError {
                #expect(!error.description.contains("\n"))
                rejected += 1
            }
        }
        #expect(rejected > 150)
    }
}

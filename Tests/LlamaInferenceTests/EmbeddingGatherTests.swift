import Foundation
import TestSupport
import Testing
@testable import LlamaInference

/// The token embedding's rows are gathered once per pass and then handed back to the kernel
/// (`WeightMatrix.gatherRows`), so that they do not stay in the resident set beside the layers'
/// working set. Measured here as the resident bytes of the test file's own mapping (/proc/self/smaps).
@Suite struct EmbeddingGatherTests {
    /// An f16 `(rows, columns)` matrix written to a file and mapped, with its values.
    static func mappedHalfMatrix(rows: Int, columns: Int, in temp: TemporaryDirectory) throws -> (WeightMatrix, [Float], SafeTensorsFile) {
        var bits: [UInt16] = [], values: [Float] = []
        for i in 0..<(rows * columns) {
            let value = Float((i * 7919) % 201 - 100) / 64
            values.append(value); bits.append(Float16(value).bitPattern)
        }
        var file = SafeTensorsWriter()
        file.add("embed", shape: [rows, columns], dtype: "F16", bytes: bits.withUnsafeBytes { Array($0) })
        try file.data().write(to: temp.file("model.safetensors"))
        let parsed = try SafeTensorsFile(url: temp.file("model.safetensors"))
        let view = try #require(parsed.tensors["embed"])
        return (WeightMatrix(view: view, rows: rows, columns: columns), values, parsed)
    }

    /// Resident kilobytes of the mapping that contains `address` (the smaps block whose range holds it).
    static func residentKilobytes(ofMappingAt address: UnsafeRawPointer) throws -> Int {
        let target = UInt(bitPattern: address)
        var inside = false, resident = 0
        // Read until end of file: /proc files report a size of 0, which Foundation's whole-file readers trust.
        let fd = open("/proc/self/smaps", O_RDONLY)
        guard fd >= 0 else { throw CocoaError(.fileReadUnknown) }
        defer { close(fd) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            bytes += chunk[0..<got]
        }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= target && target < bounds[1]
            } else if inside, fields.first == "Rss:", fields.count > 1, let kb = Int(fields[1]) {
                resident += kb
            }
        }
        return resident
    }

    @Test func gatheredRowsAreRightAndLeaveTheResidentSet() throws {
        let temp = try TemporaryDirectory(); defer { temp.cleanUp() }
        let rows = 2_048, columns = 1_024              // 2 KB rows, 4 MB of f16
        let (matrix, values, file) = try Self.mappedHalfMatrix(rows: rows, columns: columns, in: temp)
        guard case .half(let stored, _) = matrix.storage else { Issue.record("not a half matrix"); return }
        let ids = (0..<200).map { ($0 * 7_919) % rows }  // scattered, as a note's tokens are
        var gathered = [Float](repeating: .nan, count: ids.count * columns)
        gathered.withUnsafeMutableBufferPointer { out in
            for (t, id) in ids.enumerated() { matrix.gatherRows(id, count: 1, into: out.baseAddress! + t * columns) }
        }
        for (t, id) in ids.enumerated() {
            #expect(Array(gathered[(t * columns)..<((t + 1) * columns)]) == Array(values[(id * columns)..<((id + 1) * columns)]))
        }
        let afterGather = try Self.residentKilobytes(ofMappingAt: UnsafeRawPointer(stored))
        // Reading the same rows without handing them back, for scale: ~200 × 2 KB, plus fault-around.
        var widened = [Float](repeating: 0, count: columns)
        widened.withUnsafeMutableBufferPointer { out in
            for id in ids { matrix.widenRows(id, count: 1, into: out.baseAddress!) }
        }
        let afterRead = try Self.residentKilobytes(ofMappingAt: UnsafeRawPointer(stored))
        #expect(afterRead >= 400, "plain reads left \(afterRead) KB resident: the measure does not see the mapping")
        #expect(afterGather <= 72, "gathered rows left \(afterGather) KB resident (plain reads: \(afterRead) KB)")
        withExtendedLifetime(file) {}
    }
}

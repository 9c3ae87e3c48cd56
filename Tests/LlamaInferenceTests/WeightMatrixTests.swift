import Foundation
import TestSupport
import Testing
@testable import LlamaInference

/// The linear product on half weights: several tiles, several widening threads, against a plain loop.
@Suite struct WeightMatrixTests {
    static func halfMatrix(rows: Int, columns: Int, format: String) throws -> (WeightMatrix, [Float]) {
        var bits: [UInt16] = []
        var values: [Float] = []
        for i in 0..<(rows * columns) {
            let value = Float((i * 7919) % 201 - 100) / 64   // exact in f16 and bf16
            values.append(value)
            bits.append(format == "F16" ? Float16(value).bitPattern : UInt16(value.bitPattern >> 16))
        }
        var file = SafeTensorsWriter()
        file.add("w", shape: [rows, columns], dtype: format, bytes: bits.withUnsafeBytes { Array($0) })
        let parsed = try SafeTensorsFile(buffer: ByteBuffer(copying: file.data()), path: "memory")
        let view = try #require(parsed.tensors["w"])
        return (WeightMatrix(view: view, rows: rows, columns: columns), values)
    }

    @Test(arguments: ["F16", "BF16"], [1, 5])
    func tiledHalfProductEqualsThePlainLoop(format: String, tokens: Int) throws {
        let rows = 1_300, columns = 256   // 3 tiles of 512 rows; 2 widening threads per tile
        let (matrix, values) = try Self.halfMatrix(rows: rows, columns: columns, format: format)
        #expect(matrix.isHalf)
        let x = (0..<(tokens * columns)).map { Float(($0 * 31) % 17 - 8) / 8 }
        var y = [Float](repeating: .nan, count: tokens * rows)
        let tile = FloatBuffer(count: 512 * columns)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                matrix.product(xs.baseAddress!, tokens: tokens, into: ys.baseAddress!,
                               tile: WideningTile(buffer: tile.pointer, capacity: tile.count, threads: 2))
            }
        }
        var worst: Float = 0
        for t in 0..<tokens {
            for r in 0..<rows {
                var sum: Float = 0
                for c in 0..<columns { sum += x[t * columns + c] * values[r * columns + c] }
                worst = max(worst, abs(sum - y[t * rows + r]))
            }
        }
        #expect(worst < 1e-3, "max |Δ| \(worst)")
    }
}

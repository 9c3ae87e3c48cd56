import CWeightKernels
import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// The native kernels (`Sources/CWeightKernels`) against exact references, on random and edge shapes:
/// one token, widths that are not a multiple of the vector (16 / 32) or of the 8-bit pair (64), row
/// counts that leave partial tiles, and a tile too small to hold the prepared activations.
///
/// Error bounds (u = 2⁻²⁴, the f32 unit roundoff; γ(n) = n·u / (1 − n·u), Higham's bound for a sum
/// of n terms in any order): every kernel forms its products exactly (bf16 × bf16 and f16 → f32 × f32
/// products fit f32's 24 bits; 8-bit blocks are exact int32), then adds them in f32 along chains of at
/// most k + 8 additions (lane accumulation, 16-lane reduction), so |y − Σ exact products| ≤ γ(k + 8) ·
/// Σ|products|. Against the f32 answer, bf16 adds the activation's rounding (relative ≤ 2⁻⁹ per
/// value, RNE to 8 significant bits), and q8 adds each quantized value's error, ≤ half its block's
/// scale (weights and activations).
@Suite struct NativeKernelTests {
    static let features = cwk_features()
    static let shapes: [(tokens: Int, columns: Int, rows: Int)] = [
        (1, 1, 1), (1, 31, 5), (3, 33, 7), (5, 100, 13), (9, 64, 6), (17, 257, 19), (66, 130, 31), (1, 4100, 3),
    ]

    static func gamma(_ n: Int) -> Double { let u = 0x1p-24; return Double(n) * u / (1 - Double(n) * u) }

    static func halfMatrix(_ values: [Float], rows: Int, columns: Int, format: HalfFormat) -> WeightMatrix {
        let buffer = HalfBuffer(count: rows * columns)
        values.withUnsafeBufferPointer { format.narrow($0.baseAddress!, into: buffer.pointer, count: values.count) }
        return WeightMatrix(owned: buffer, format: format, rows: rows, columns: columns)
    }

    /// `x · mᵀ` through `product`, with `kernels` allowed and a tile of `tileFloats` (default: plenty).
    static func product(_ m: WeightMatrix, _ x: [Float], tokens: Int, kernels: NativeKernels, tileFloats: Int? = nil) -> [Float] {
        let tile = FloatBuffer(count: tileFloats ?? (m.rows * m.columns + 2 * tokens * cwk_q8_padded(m.columns) + 64))
        var y = [Float](repeating: .nan, count: tokens * m.rows)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                m.product(xs.baseAddress!, tokens: tokens, into: ys.baseAddress!,
                          tile: WideningTile(buffer: tile.pointer, capacity: tile.count, threads: 2, kernels: kernels))
            }
        }
        return y
    }

    /// Rows of `m` as f32 (exact widening / dequantization).
    static func widened(_ m: WeightMatrix) -> [Float] {
        var w = [Float](repeating: 0, count: m.rows * m.columns)
        w.withUnsafeMutableBufferPointer { m.widenRows(0, count: m.rows, into: $0.baseAddress!) }
        return w
    }

    /// Worst of |y − Σ x·w| / bound(t, r), with the sums in Double; `bound` gets Σ|x·w| too. An output
    /// left NaN (y starts NaN, so one the kernel never wrote) counts as infinitely wrong.
    static func worstRatio(_ y: [Float], x: [Float], w: [Float], tokens: Int, rows: Int, columns: Int,
                           bound: (Int, Int, Double) -> Double) -> Double {
        var worst = 0.0
        for t in 0..<tokens {
            for r in 0..<rows {
                var sum = 0.0, magnitude = 0.0
                for c in 0..<columns {
                    let p = Double(x[t * columns + c]) * Double(w[r * columns + c])
                    sum += p; magnitude += abs(p)
                }
                let ratio = abs(Double(y[t * rows + r]) - sum) / max(bound(t, r, magnitude), .leastNormalMagnitude)
                worst = ratio.isNaN ? .infinity : max(worst, ratio)  // (max(_, .nan) would drop an output never written)
            }
        }
        return worst
    }

    static func bf16Rounded(_ x: [Float]) -> [Float] {
        var bits = [UInt16](repeating: 0, count: x.count)
        HalfFormat.bf16.narrow(x, into: &bits, count: x.count)
        return bits.map { Float(bitPattern: UInt32($0) << 16) }
    }

    @Test func theSettingChoosesThePaths() throws {
        let all = Int32(CWK_F16 | CWK_BF16 | CWK_VNNI)
        #expect(try NativeKernels.resolve(features: all, environment: [:]) == NativeKernels(f16: true, bf16: true, q8: true, oneDNN: true))
        #expect(try NativeKernels.resolve(features: Int32(CWK_F16), environment: ["DRGCODER_KERNELS": "native"])
                == NativeKernels(f16: true, bf16: false, q8: false, oneDNN: true))
        #expect(try NativeKernels.resolve(features: 0, environment: [:]) == .widening)
        #expect(try NativeKernels.resolve(features: all, environment: ["DRGCODER_KERNELS": "widen"]) == .widening)
        #expect(throws: LoadError.badKernelSetting("fast")) {
            try NativeKernels.resolve(features: all, environment: ["DRGCODER_KERNELS": "fast"])
        }
        #expect(NativeKernels.widening.description == "none (widen + sgemm)")
    }

    /// Our `cwk_gemm_bf16` and oneDNN's bf16 matmul (the default path) meet the same bounds.
    @Test(.enabled(if: features & Int32(CWK_BF16) != 0), arguments: shapes.indices, [false, true])
    func bf16KernelIsExactProductsOfRoundedActivations(shape: Int, oneDNN: Bool) {
        let (tokens, columns, rows) = Self.shapes[shape]
        var rng = SplitMix64(seed: UInt64(100 + shape))
        let x = rng.signedUnits(tokens * columns), w = Self.bf16Rounded(rng.signedUnits(rows * columns))
        let m = Self.halfMatrix(w, rows: rows, columns: columns, format: .bf16)
        let y = Self.product(m, x, tokens: tokens, kernels: NativeKernels(f16: false, bf16: true, q8: false, oneDNN: oneDNN),
                             tileFloats: shape == 5 ? columns : nil)
        let xb = Self.bf16Rounded(x)
        let arithmetic = Self.worstRatio(y, x: xb, w: w, tokens: tokens, rows: rows, columns: columns) { _, _, m in
            Self.gamma(columns + 8) * m
        }
        #expect(arithmetic <= 1, "bf16 kernel vs exact Σ bf16(x)·w: \(arithmetic) of the bound")
        let answer = Self.worstRatio(y, x: x, w: w, tokens: tokens, rows: rows, columns: columns) { _, _, m in
            (0x1p-9 + Self.gamma(columns + 8)) * m
        }
        #expect(answer <= 1, "bf16 kernel vs exact Σ x·w: \(answer) of the bound")
    }

    /// Our `vcvtph2ps` kernel (the default), and widened tiles through oneDNN's f32 matmul.
    @Test(.enabled(if: features & Int32(CWK_F16) != 0), arguments: shapes.indices,
          [NativeKernels(f16: true, bf16: false, q8: false), NativeKernels(f16: false, bf16: false, q8: false, oneDNN: true)])
    func f16KernelIsExactProductsSummedInF32(shape: Int, kernels: NativeKernels) {
        let (tokens, columns, rows) = Self.shapes[shape]
        Self.checkF16(tokens: tokens, columns: columns, rows: rows, kernels: kernels, seed: UInt64(200 + shape))
    }

    /// From `PACKED_MIN_TOKENS` = 128 tokens on, `cwk_gemm_f16` widens panels of 64 rows × 1024 columns
    /// and runs 6 tokens at a time. Rows as two threads split them: 16 + 32 and 32 + 21 (partial panels
    /// only), 80 + 70 (a whole panel and a partial one each), one row; k = 16, 33, 257 (last block of 16
    /// columns partial) and 1100 (a second column panel of 76, added onto the first); 2, 4, 5 and 3
    /// tokens left over after the groups of 6.
    static let packedShapes: [(tokens: Int, columns: Int, rows: Int)] = [
        (128, 16, 48), (130, 257, 53), (137, 1100, 150), (129, 33, 1),
    ]

    @Test(.enabled(if: features & Int32(CWK_F16) != 0), arguments: packedShapes.indices)
    func f16PackedPanelsAreExactProductsSummedInF32(shape: Int) {
        let (tokens, columns, rows) = Self.packedShapes[shape]
        Self.checkF16(tokens: tokens, columns: columns, rows: rows, kernels: NativeKernels(f16: true, bf16: false, q8: false),
                      seed: UInt64(300 + shape))
    }

    static func checkF16(tokens: Int, columns: Int, rows: Int, kernels: NativeKernels, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let x = rng.signedUnits(tokens * columns)
        let m = halfMatrix(rng.signedUnits(rows * columns), rows: rows, columns: columns, format: .f16)
        let w = widened(m)
        let y = product(m, x, tokens: tokens, kernels: kernels)
        let ratio = worstRatio(y, x: x, w: w, tokens: tokens, rows: rows, columns: columns) { _, _, m in
            gamma(columns + 8) * m
        }
        #expect(ratio <= 1, "f16 kernel vs exact Σ x·w: \(ratio) of the bound (\(tokens) × \(columns) × \(rows))")
    }

    /// f32 weights through oneDNN's matmul: f32 products and sums, in oneDNN's order.
    @Test(.enabled(if: features & Int32(CWK_F16) != 0), arguments: shapes.indices)
    func f32ThroughOneDNNIsSummedInF32(shape: Int) {
        let (tokens, columns, rows) = Self.shapes[shape]
        var rng = SplitMix64(seed: UInt64(300 + shape))
        let x = rng.signedUnits(tokens * columns), w = rng.signedUnits(rows * columns)
        let buffer = FloatBuffer(count: rows * columns)
        buffer.pointer.update(from: w, count: w.count)
        let m = WeightMatrix(owned: buffer, rows: rows, columns: columns)
        let y = Self.product(m, x, tokens: tokens, kernels: NativeKernels(f16: false, bf16: false, q8: false, oneDNN: true))
        let ratio = Self.worstRatio(y, x: x, w: w, tokens: tokens, rows: rows, columns: columns) { _, _, m in
            Self.gamma(columns + 8) * m
        }
        #expect(ratio <= 1, "oneDNN f32 vs exact Σ x·w: \(ratio) of the bound")
    }

    @Test(arguments: [1, 31, 32, 33, 64, 100, 257])
    func q8QuantizationMovesEachWeightByAtMostHalfItsScale(columns: Int) {
        var rng = SplitMix64(seed: UInt64(columns))
        let rows = 4
        var w = rng.signedUnits(rows * columns)
        for c in 0..<columns { w[c] = 0 }                       // a zero row: scale 0, exact zeros
        w[columns] = 1000                                       // one large weight in a block of small ones
        let padded = cwk_q8_padded(columns)
        var quants = [UInt8](repeating: 0, count: rows * padded), scales = [UInt16](repeating: 0, count: rows * padded / 32)
        cwk_q8_quantize_rows(w, rows, columns, &quants, &scales)
        var back = [Float](repeating: .nan, count: rows * columns)
        cwk_q8_dequantize_rows(quants, scales, rows, columns, &back)
        for r in 0..<rows {
            for c in 0..<columns {
                let d = Float(Float16(bitPattern: scales[r * padded / 32 + c / 32]))
                let amax = (c / 32 * 32..<min(columns, c / 32 * 32 + 32)).map { abs(w[r * columns + $0]) }.max()!
                #expect(d == Float(Float16(amax / 127)))
                #expect(abs(back[r * columns + c] - w[r * columns + c]) <= d / 2 * 1.0001, "row \(r) column \(c)")
            }
        }
        #expect(back[0..<columns].allSatisfy { $0 == 0 })
        for b in 0..<(padded / 32) where b * 32 >= columns {    // padding blocks: scale 0, quants 0 (+128)
            #expect(scales[b] == 0)
        }
    }

    @Test(.enabled(if: features & Int32(CWK_VNNI) != 0), arguments: shapes.indices)
    func q8KernelIsExactBlockDotsOfTheQuantizedValues(shape: Int) {
        let (tokens, columns, rows) = Self.shapes[shape]
        var rng = SplitMix64(seed: UInt64(300 + shape))
        let x = rng.signedUnits(tokens * columns)
        let stored = Self.halfMatrix(rng.signedUnits(rows * columns), rows: rows, columns: columns, format: .f16)
        let m = stored.quantized(threads: 2)
        let w = Self.widened(m), wStored = Self.widened(stored)
        let y = Self.product(m, x, tokens: tokens, kernels: NativeKernels(f16: false, bf16: false, q8: true),
                             tileFloats: shape == 5 ? columns : nil)
        // The activations as the kernel sees them.
        let padded = cwk_q8_padded(columns)
        var xq = [Int8](repeating: 0, count: tokens * padded), xs = [Float](repeating: 0, count: tokens * padded / 32)
        var xc = [Int32](repeating: 0, count: tokens * padded / 4)
        cwk_q8_quantize_activations(x, tokens, columns, &xq, &xs, &xc)
        var xHat = [Float](repeating: 0, count: tokens * columns)
        for t in 0..<tokens {
            for c in 0..<columns {   // undo the kernel's interleaving of each pair of blocks (see the C header)
                let b = c / 32, e = c % 32
                let position = 64 * (b / 2) + 4 * (2 * (e / 4) + b % 2) + e % 4
                xHat[t * columns + c] = Float(xq[t * padded + position]) * xs[t * padded / 32 + b]
            }
        }
        let arithmetic = Self.worstRatio(y, x: xHat, w: w, tokens: tokens, rows: rows, columns: columns) { _, _, m in
            Self.gamma(columns + 8) * m
        }
        #expect(arithmetic <= 1, "q8 kernel vs exact Σ x̂·ŵ: \(arithmetic) of the bound")
        // Against the unquantized answer: Σ_c (|x−x̂|·|w| + |x̂|·|w−ŵ|) ≤ Σ_c (dx/2·|w| + |x̂|·dw/2).
        let answer = Self.worstRatio(y, x: x, w: wStored, tokens: tokens, rows: rows, columns: columns) { t, r, m in
            var bound = Self.gamma(columns + 8) * m * 2
            for c in 0..<columns {
                let dx = Double(xs[t * padded / 32 + c / 32])
                let dw = abs(Double(wStored[r * columns + c]) - Double(w[r * columns + c]))
                bound += dx / 2 * abs(Double(wStored[r * columns + c])) + abs(Double(xHat[t * columns + c])) * dw
            }
            return bound
        }
        #expect(answer <= 1, "q8 kernel vs exact Σ x·w: \(answer) of the bound")
    }

    /// The fallback (`DRGCODER_KERNELS=widen`, or a CPU without the feature) is today's path: widen,
    /// then sgemm / sgemv on the widened rows, bit for bit.
    @Test(arguments: ["f16", "bf16", "q8"], [1, 7])
    func withoutKernelsTheProductIsWideningAndSgemmBitForBit(format: String, tokens: Int) {
        let rows = 37, columns = 75
        var rng = SplitMix64(seed: 9)
        let x = rng.signedUnits(tokens * columns)
        let half = Self.halfMatrix(rng.signedUnits(rows * columns), rows: rows, columns: columns, format: format == "f16" ? .f16 : .bf16)
        let m = format == "q8" ? half.quantized(threads: 1) : half
        let w = Self.widened(m)
        var expected = [Float](repeating: 0, count: tokens * rows)
        if tokens == 1 {
            BLAS.gemv(m: rows, n: columns, a: w, lda: columns, x: x, y: &expected)
        } else {
            BLAS.gemm(transposeB: true, m: tokens, n: rows, k: columns, a: x, lda: columns, b: w, ldb: columns, c: &expected, ldc: rows)
        }
        let y = Self.product(m, x, tokens: tokens, kernels: .widening)
        #expect(y.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}

import CHalfPrecision
import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// Rounding f32 to f16/bf16 (for merged LoRA targets of half checkpoints), and the merge that uses it.
@Suite struct HalfNarrowingTests {
    /// Every finite f16 value, the f32 midpoints between neighbours (ties), one f32 ulp either side of
    /// them, values past the largest half, the subnormal range and specials; plus seeded random floats.
    static let probes: [Float] = {
        var values: [Float] = [0, -0, .infinity, -.infinity, 65504, 65519.99, 65520, 65536, 1e30, -1e30,
                               0x1p-24, 0x1p-25, 0x1.000002p-25, 0x1p-26, 0x1.8p-24, 0x1p-14, 0x1.ff8p-15, .leastNonzeroMagnitude]
        for bits in UInt16(0)..<0x7C00 {
            let low = widenBinary16(bits), high = widenBinary16(bits + 1)
            let middle = Float((Double(low) + Double(high)) / 2)
            values += [low, middle, middle.nextDown, middle.nextUp]
        }
        var generator = SplitMix64(seed: 7)
        for _ in 0..<50_000 { values.append(Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))) }
        return values + values.map { -$0 }
    }()

    static func narrowed(_ values: [Float], _ narrow: (UnsafePointer<Float>, UnsafeMutablePointer<UInt16>, Int) -> Void) -> [UInt16] {
        var out = [UInt16](repeating: 0xFFFF, count: values.count)
        values.withUnsafeBufferPointer { v in out.withUnsafeMutableBufferPointer { narrow(v.baseAddress!, $0.baseAddress!, v.count) } }
        return out
    }

    /// Same bits, or both NaN.
    static func agree(_ half: UInt16, _ expected: Float16) -> Bool {
        half == expected.bitPattern || (Float16(bitPattern: half).isNaN && expected.isNaN)
    }

    @Test func f16NarrowingMatchesSwiftsFloat16() {
        let expected = Self.probes.map { Float16($0) }
        let hardware = Self.narrowed(Self.probes) { HalfFormat.f16.narrow($0, into: $1, count: $2) }
        let portable = Self.narrowed(Self.probes) { chp_narrow_f16_portable($0, $1, $2) }
        let badHardware = Self.probes.indices.filter { !Self.agree(hardware[$0], expected[$0]) }
        let badPortable = Self.probes.indices.filter { !Self.agree(portable[$0], expected[$0]) }
        #expect(badHardware.count == 0, "first: \(badHardware.prefix(3).map { Self.probes[$0] })")
        #expect(badPortable.count == 0, "first: \(badPortable.prefix(3).map { Self.probes[$0] })")
        #expect(Self.narrowed([1, 65520, 0x1p-25, .nan]) { chp_narrow_f16_portable($0, $1, $2) } == [0x3C00, 0x7C00, 0, 0x7E00])
    }

    /// bf16 against a reference written differently: the two candidates, the nearer in Double, ties even.
    @Test func bf16NarrowingRoundsToNearestEven() {
        func reference(_ value: Float) -> UInt16 {
            if value.isNaN { return 0x7FC0 | UInt16(value.bitPattern >> 16 & 0x8000) }
            let low = UInt16(value.bitPattern >> 16), high = low &+ 1
            let lowValue = Double(Float(bitPattern: UInt32(low) << 16))
            // Past the largest finite bf16 the next candidate is infinity, reached from 2¹²⁸ on (IEEE 754 overflow).
            let highBits = Float(bitPattern: UInt32(high) << 16)
            let highValue = highBits.isInfinite ? (value < 0 ? -0x1p128 : 0x1p128) : Double(highBits)
            let below = abs(Double(value) - lowValue), above = abs(highValue - Double(value))
            if value.bitPattern & 0xFFFF == 0 { return low }
            return below < above || (below == above && low & 1 == 0) ? low : high
        }
        let values = Self.probes.filter { !$0.isNaN } + [0x1.ff8p0, 0x1.018p0, 0x1.008p0, .greatestFiniteMagnitude, 0x1.fep127]
        let out = Self.narrowed(values) { HalfFormat.bf16.narrow($0, into: $1, count: $2) }
        let bad = values.indices.filter { out[$0] != reference(values[$0]) }
        #expect(bad.count == 0, "first: \(bad.prefix(3).map { values[$0] })")
        // Hand-checked: NaN quiet; 1 + 2⁻⁸ and 1 + 3·2⁻⁸ are ties (to even: down, up); 1 + 1.5·2⁻⁸ rounds up; max → ∞.
        #expect(Self.narrowed([.nan, 0x1.01p0, 0x1.03p0, 0x1.018p0, .greatestFiniteMagnitude]) { HalfFormat.bf16.narrow($0, into: $1, count: $2) }
                == [0x7FC0, 0x3F80, 0x3F82, 0x3F81, 0x7F80])
    }
}

@Suite struct HalfLoRAMergeTests {
    /// W (2×3) in `dtype`, B (2×1), A (1×3) in f32, s = 0.5: the half weight stays as stored and the
    /// update is applied beside it in f32, so reading the matrix gives W + 0.5·B·A exactly (values
    /// chosen so that the sums are not representable in 16 bits: a merge into W would round them).
    @Test(arguments: ["F16", "BF16"])
    func aHalfWeightKeepsItsBitsAndTheUpdateIsExact(dtype: String) throws {
        let format: HalfFormat = dtype == "F16" ? .f16 : .bf16
        let w: [Float] = [1, 2, 3, 4, 5, 6]
        var bits = [UInt16](repeating: 0, count: 6)
        w.withUnsafeBufferPointer { v in bits.withUnsafeMutableBufferPointer { format.narrow(v.baseAddress!, into: $0.baseAddress!, count: 6) } }
        var file = SafeTensorsWriter()
        file.add("w", shape: [2, 3], dtype: dtype, bytes: bits.withUnsafeBytes { Array($0) })
        file.add("a", shape: [1, 3], floats: [1, 0, -1])
        file.add("b", shape: [2, 1], floats: [0.0011, 4])
        let parsed = try SafeTensorsFile(buffer: ByteBuffer(copying: file.data()), path: "memory")
        let weight = WeightMatrix(view: try #require(parsed.tensors["w"]), rows: 2, columns: 3)
        let update = LoRAAdapter.Update(a: try #require(parsed.tensors["a"]), b: try #require(parsed.tensors["b"]), scale: 0.5)
        let adapted = mergeLoRA(into: weight, update: update)
        #expect(adapted.isHalf && adapted.lowRank != nil)
        guard case .half(let stored, _) = adapted.storage, case .half(let original, _) = weight.storage else { Issue.record("not half"); return }
        #expect(stored == original)                      // the mapped bits are used as they are
        let sums: [Float] = [1 + 0.00055, 2, 3 - 0.00055, 6, 5, 4]
        var values = [Float](repeating: 0, count: 6)
        values.withUnsafeMutableBufferPointer { adapted.widenRows(0, count: 2, into: $0.baseAddress!) }
        #expect(values == sums)
        var second = [Float](repeating: 0, count: 3)     // a row range starting past row 0 reads B's right row
        second.withUnsafeMutableBufferPointer { adapted.widenRows(1, count: 1, into: $0.baseAddress!) }
        #expect(second == [6, 5, 4])
        // The product: y = x·(W + sBA)ᵀ for two tokens, through the tile and through a too-small tile.
        let x: [Float] = [1, 1, 1, 0, 1, 2]
        let expected: [Float] = [sums[0] + sums[1] + sums[2], 15, sums[1] + 2 * sums[2], 13]
        for capacity in [64, 1] {
            let tile = FloatBuffer(count: max(capacity, 3))
            var y = [Float](repeating: .nan, count: 4)
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeMutableBufferPointer {
                    adapted.product(xs.baseAddress!, tokens: 2, into: $0.baseAddress!,
                                    tile: WideningTile(buffer: tile.pointer, capacity: capacity == 1 ? 3 : capacity, threads: 1))
                }
            }
            for (got, want) in zip(y, expected) { #expect(abs(got - want) <= 1e-6 * abs(want), "capacity \(capacity): \(y) vs \(expected)") }
        }
    }

    static func bf16(_ value: Float) -> UInt16 {
        var out: UInt16 = 0
        withUnsafePointer(to: value) { v in HalfFormat.bf16.narrow(v, into: &out, count: 1) }
        return out
    }

    /// The tiny model in f16 with the rsLoRA adapter (q/v, and `score` replaced): the half targets keep
    /// their bits, and the logits equal an f32 merge of the same half weights (PEFT's unmerged forward
    /// on the model cast to f32) to float rounding — far closer than rounding the merge to f16 would be.
    @Test func anF16ModelWithAnAdapterKeepsItsTargetsHalfAndExact() throws {
        let temp = try TemporaryDirectory(); defer { temp.cleanUp() }
        let source = Fixtures.model("tiny-f32")
        let f32 = try SafeTensorsFile(buffer: ByteBuffer(copying: Data(contentsOf: source.appendingPathComponent("model.safetensors"))), path: "tiny")
        var file = SafeTensorsWriter()
        for (name, view) in f32.tensors.sorted(by: { $0.key < $1.key }) {
            var floats = [Float](repeating: 0, count: view.elementCount)
            floats.withUnsafeMutableBufferPointer { WeightMatrix(view: view, rows: 1, columns: view.elementCount).widenRows(0, count: 1, into: $0.baseAddress!) }
            file.add(name, shape: view.shape, dtype: "F16", bytes: floats.map { Float16($0).bitPattern }.withUnsafeBytes { Array($0) })
        }
        try file.data().write(to: temp.url.appendingPathComponent("model.safetensors"))
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: temp.url.appendingPathComponent("config.json"))
        let adapterDirectory = source.appendingPathComponent("adapter-rslora")

        let half = try LlamaSequenceClassifier.load(modelDirectory: temp.url, adapterDirectory: adapterDirectory, threads: 1, kernels: .widening)
        let plain = try LlamaSequenceClassifier.load(modelDirectory: temp.url, threads: 1, kernels: .widening)
        var weights = plain.weights
        let adapter = try LoRAAdapter.load(directory: adapterDirectory)
        let score = try #require(adapter.replacements["score.weight"])          // modules_to_save
        weights.score = WeightMatrix(view: score, rows: weights.score.rows, columns: weights.score.columns)
        for (i, layer) in weights.layers.enumerated() {
            let p = "model.layers.\(i).self_attn."
            for (path, matrix) in [(\LlamaWeights.Block.q, layer.q), (\LlamaWeights.Block.v, layer.v)] {
                let name = p + (path == \LlamaWeights.Block.q ? "q_proj.weight" : "v_proj.weight")
                let update = try #require(adapter.updates[name])
                let wide = FloatBuffer(count: matrix.rows * matrix.columns)
                matrix.widenRows(0, count: matrix.rows, into: wide.pointer)
                let a = WeightMatrix(view: update.a, rows: update.a.shape[0], columns: matrix.columns).widenedCopy()
                let b = WeightMatrix(view: update.b, rows: matrix.rows, columns: update.b.shape[1]).widenedCopy()
                BLAS.gemm(m: matrix.rows, n: matrix.columns, k: update.a.shape[0], alpha: update.scale, a: b.pointer, lda: update.a.shape[0],
                          b: a.pointer, ldb: matrix.columns, beta: 1, c: wide.pointer, ldc: matrix.columns)
                weights.layers[i][keyPath: path] = WeightMatrix(owned: wide, rows: matrix.rows, columns: matrix.columns)
            }
        }
        let wideMerged = try LlamaSequenceClassifier(config: plain.config, weights: weights, threads: 1, kernels: .widening)
        #expect(half.weights.layers.allSatisfy { $0.q.isHalf && $0.v.isHalf && $0.k.isHalf && $0.q.lowRank != nil && $0.k.lowRank == nil })

        let f32Base = try Fixtures.tinyF32.get()
        for reference in try Fixtures.cases("tiny-f32/adapter-rslora") {
            let unmerged = try half.logits(tokenIDs: reference.tokenIDs)
            let wide = try wideMerged.logits(tokenIDs: reference.tokenIDs)
            let none = try plain.logits(tokenIDs: reference.tokenIDs)
            // The yardstick: what rounding the whole checkpoint to f16 did to the logits. The unmerged
            // update must be far inside it (it is the same arithmetic, reassociated).
            let checkpointRounding = maxAbsoluteDifference(none, try f32Base.logits(tokenIDs: reference.tokenIDs)).value
            // Within 1e-5 of the largest logit: the last layer's products for the pooled token run as
            // one-token products (`LastLayerTests`), whose sums are ordered unlike the batch's.
            let difference = maxAbsoluteDifference(unmerged, wide).value
            let allowed = 1e-5 * wide.map(abs).max()!
            #expect(difference <= allowed && difference < checkpointRounding / 10, "\(reference.name): \(difference) vs \(checkpointRounding)")
            #expect(maxAbsoluteDifference(unmerged, none).value > 10 * checkpointRounding, "\(reference.name)")
        }
    }
}

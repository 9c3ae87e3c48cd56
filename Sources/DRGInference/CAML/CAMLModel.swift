import Foundation
import LlamaInference

/// CAML (Mullenbach et al. 2018) as JHLiu7/EarlyDRGPrediction's `models.py` computes it, in eval mode
/// (dropout is the identity):
///
///     E = embed(x)                           // (W, D)   x: max_seq_length ids, zero-padded
///     H = relu(conv1d(E, k, padding ⌊k/2⌋))   // (W', F)  W' = W + 2⌊k/2⌋ − k + 1 (W + 1 for even k)
///     α = softmax_rows(U · Hᵀ)               // (Y, W')  U = U.weight; U.bias is never used
///     m = α · H                              // (Y, F)
///     logit_y = Σ_f fc.weight[y, f] · m[y, f] + fc.bias[y]
///
/// The softmax runs over ALL W' positions, the zero padding included (a padded position still has
/// `H = relu(conv.bias + …)`): a short note is read with its padding, exactly as the repository does.
/// The three products are ``BLAS/gemm`` calls (the conv as one product over an im2col copy of E);
/// the rest is plain loops. The state dict also holds `w_layer`/`outlayer` (the unused
/// relative-weight head of `Base`) and `U.bias`: checked for shape, not used.
///
/// Thread safety: immutable; `forward` allocates its own scratch, so calls may run concurrently.
public struct CAMLModel: Sendable {
    public struct Config: Sendable, Equatable {
        public var vocabulary: Int      // embed rows
        public var embedding: Int       // D
        public var filters: Int         // F
        public var kernel: Int          // k
        public var labels: Int          // Y
        public var sequenceLength: Int  // W
        public var padding: Int { kernel / 2 }
        /// W' = W + 2p − k + 1.
        public var positions: Int { sequenceLength + 2 * padding - kernel + 1 }
    }

    public let config: Config
    let embed: [Float]        // (vocabulary, D)
    let conv: [Float]         // (F, k, D): conv.weight (F, D, k) with its last two axes swapped at load
    let convBias: [Float]     // (F)
    let attention: [Float]    // (Y, F)  U.weight
    let output: [Float]       // (Y, F)  fc.weight
    let outputBias: [Float]   // (Y)

    /// The tensor names and the shapes `config` implies (the whole state dict of `models.CAML`).
    static func expectedShapes(_ c: Config) -> [String: [Int]] {
        ["embed.weight": [c.vocabulary, c.embedding], "conv.weight": [c.filters, c.embedding, c.kernel], "conv.bias": [c.filters],
         "U.weight": [c.labels, c.filters], "U.bias": [c.labels], "fc.weight": [c.labels, c.filters], "fc.bias": [c.labels],
         "w_layer.weight": [100, c.labels], "w_layer.bias": [100], "outlayer.weight": [1, 100], "outlayer.bias": [1]]
    }

    /// Loads `checkpoint.bin` (either torch.save layout). The embedding size comes from the file;
    /// everything else must match `hyperparameters`, the vocabulary and the label count, or loading
    /// fails with the full list of missing, unexpected and mis-shaped tensors.
    public init(checkpoint url: URL, hyperparameters h: CAMLHyperparameters, vocabulary: Int, labels: Int) throws {
        let tensors = try TorchCheckpoint(url: url).tensors
        guard let embedShape = tensors["embed.weight"]?.shape, embedShape.count == 2 else {
            throw CAMLError(path: url.path, reason: "no two-dimensional embed.weight: not a CAML state dict")
        }
        let config = Config(vocabulary: vocabulary, embedding: embedShape[1], filters: h.filterMaps, kernel: h.kernelSize,
                            labels: labels, sequenceLength: h.maxSequenceLength)
        guard config.positions > 0 else { throw CAMLError(path: url.path, reason: "max_seq_length \(h.maxSequenceLength) is shorter than the kernel") }
        let expected = Self.expectedShapes(config)
        var mismatch = TensorMismatch(source: url.path)
        mismatch.missing = expected.keys.filter { tensors[$0] == nil }.sorted()
        mismatch.unexpected = tensors.keys.filter { expected[$0] == nil }.sorted()
        for (name, shape) in expected.sorted(by: { $0.key < $1.key }) {
            guard let tensor = tensors[name] else { continue }
            if tensor.shape != shape { mismatch.misShaped.append(.init(name: name, expected: shape, actual: tensor.shape)) }
            if ![.f32, .f16, .bf16, .f64].contains(tensor.dtype) { mismatch.unsupportedDType.append(.init(name: name, dtype: tensor.dtype.rawValue)) }
        }
        guard mismatch.isEmpty else { throw LoadError.tensorMismatch(mismatch) }
        func floats(_ name: String) -> [Float] { tensors[name].map(Self.floats) ?? [] }
        let convWeight = floats("conv.weight")
        var swapped = [Float](repeating: 0, count: convWeight.count)
        let (f, d, k) = (config.filters, config.embedding, config.kernel)
        for o in 0..<f { for i in 0..<d { for j in 0..<k { swapped[(o * k + j) * d + i] = convWeight[(o * d + i) * k + j] } } }
        self.config = config
        embed = floats("embed.weight"); conv = swapped; convBias = floats("conv.bias")
        attention = floats("U.weight"); output = floats("fc.weight"); outputBias = floats("fc.bias")
    }

    /// A tensor's elements as `Float` (f32 read as is; f16/bf16 widened; f64 narrowed).
    static func floats(_ t: TensorView) -> [Float] {
        let n = t.elementCount
        switch t.dtype {
        case .f32:
            return [Float](unsafeUninitializedCapacity: n) { buffer, count in
                if let base = buffer.baseAddress { memcpy(base, t.bytes, n * 4) }
                count = n
            }
        case .f64:
            return (0..<n).map { Float(t.bytes.loadUnaligned(fromByteOffset: $0 * 8, as: Double.self)) }
        case .f16, .bf16:
            let halves = (0..<n).map { t.bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self) }
            var out = [Float](repeating: 0, count: n)
            halves.withUnsafeBufferPointer { source in
                out.withUnsafeMutableBufferPointer { target in
                    if let s = source.baseAddress, let d = target.baseAddress {
                        (t.dtype == .f16 ? HalfFormat.f16 : HalfFormat.bf16).widen(s, into: d, count: n)
                    }
                }
            }
            return out
        default:
            return []
        }
    }

    /// What one forward pass computed: the logits, and the attention for evidence.
    public struct Output: Sendable {
        public var logits: [Float]      // (Y)
        /// α, row-major (Y, W'): position t of label y's softmax.
        public var attention: [Float]
        public var positions: Int
    }

    /// `ids`: exactly `sequenceLength` ids (``CAMLPreprocessing/pad(_:to:)``); each `< vocabulary`.
    public func forward(ids: [Int]) -> Output {
        let c = config
        let (w, d, f, k, y, p, positions) = (c.sequenceLength, c.embedding, c.filters, c.kernel, c.labels, c.padding, c.positions)
        precondition(ids.count == w && ids.allSatisfy { $0 >= 0 && $0 < c.vocabulary }, "CAMLModel.forward: ids must be \(w) valid ids")
        // im2col: row t holds the k embeddings at t − p … t − p + k − 1 (zeros outside 0..<W).
        var columns = [Float](repeating: 0, count: positions * k * d)        // (W', k·D)
        embed.withUnsafeBufferPointer { e in
            columns.withUnsafeMutableBufferPointer { x in
                for t in 0..<positions {
                    for j in 0..<k {
                        let source = t - p + j
                        guard source >= 0, source < w, let eb = e.baseAddress, let xb = x.baseAddress else { continue }
                        (xb + (t * k + j) * d).update(from: eb + ids[source] * d, count: d)
                    }
                }
            }
        }
        var hidden = [Float](repeating: 0, count: positions * f)             // (W', F)
        var scores = [Float](repeating: 0, count: y * positions)             // (Y, W')
        var pooled = [Float](repeating: 0, count: y * f)                     // (Y, F)
        columns.withUnsafeBufferPointer { x in conv.withUnsafeBufferPointer { wc in hidden.withUnsafeMutableBufferPointer { h in
            guard let x = x.baseAddress, let wc = wc.baseAddress, let h = h.baseAddress else { return }
            // H = X · Wcᵀ: X (W', k·D), Wc (F, k·D)
            BLAS.gemm(transposeB: true, m: positions, n: f, k: k * d, a: x, lda: k * d, b: wc, ldb: k * d, c: h, ldc: f)
        } } }
        for t in 0..<positions { for o in 0..<f { hidden[t * f + o] = max(0, hidden[t * f + o] + convBias[o]) } }
        attention.withUnsafeBufferPointer { u in hidden.withUnsafeBufferPointer { h in scores.withUnsafeMutableBufferPointer { s in
            guard let u = u.baseAddress, let h = h.baseAddress, let s = s.baseAddress else { return }
            // U · Hᵀ: U (Y, F), H (W', F)
            BLAS.gemm(transposeB: true, m: y, n: positions, k: f, a: u, lda: f, b: h, ldb: f, c: s, ldc: positions)
        } } }
        for label in 0..<y { Self.softmax(&scores, offset: label * positions, count: positions) }
        scores.withUnsafeBufferPointer { s in hidden.withUnsafeBufferPointer { h in pooled.withUnsafeMutableBufferPointer { m in
            guard let s = s.baseAddress, let h = h.baseAddress, let m = m.baseAddress else { return }
            // m = α · H: α (Y, W'), H (W', F)
            BLAS.gemm(m: y, n: f, k: positions, a: s, lda: positions, b: h, ldb: f, c: m, ldc: f)
        } } }
        var logits = [Float](repeating: 0, count: y)
        for label in 0..<y {
            var sum: Float = 0
            for o in 0..<f { sum += output[label * f + o] * pooled[label * f + o] }
            logits[label] = sum + outputBias[label]
        }
        return Output(logits: logits, attention: scores, positions: positions)
    }

    /// In-place softmax of `values[offset ..< offset + count]`, max-subtracted as torch does.
    static func softmax(_ values: inout [Float], offset: Int, count: Int) {
        var top = -Float.infinity
        for i in offset..<(offset + count) { top = max(top, values[i]) }
        var sum: Float = 0
        for i in offset..<(offset + count) { values[i] = expf(values[i] - top); sum += values[i] }
        for i in offset..<(offset + count) { values[i] /= sum }
    }
}

import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// A layer run a chunk of tokens at a time (`Block`, `Workspace.layerTokens`, llama.cpp's "ubatch")
/// must give every token the answer of one pass over all tokens: each chunk's queries attend to the
/// whole key/value cache up to their own position, and the norms, projections and MLP treat each
/// token on its own. Our 8-bit kernel and oneDNN's bf16 matmul sum each (token, row) dot product in
/// the same order whatever the batch, and OpenBLAS's attention products add only exact zeros for the
/// masked keys, so there the logits are compared **bit for bit**; so is the f16 kernel below 128 tokens.
/// From 128 tokens f16 runs its panel kernel (one chain of k additions per output, against the tile
/// kernel's 16 lanes and a tree), so a 129-token pass and its 128 + 1 chunks differ in summation order
/// (measured 2.4e-6): across that threshold f16 is held to the tolerance below. The f32 and widening
/// paths (not chunked in production) send a one-token chunk through `sgemv`, which sums in another
/// order than `sgemm`: each product then moves by at most γ(k)·Σ|x·w| (k·2⁻²⁴ relative), measured
/// 1.1e-5 on logits up to 6 (2e-6 relative) after two layers; they are held to 1e-5 of the largest
/// logit. Inputs: a small chunk (5) splitting them at odd places (1 token, chunk − 1, chunk,
/// chunk + 1, 2·chunk + 3), and the production chunk (128) across its boundary (129 and 257 tokens).
@Suite struct ChunkedPrefillTests {
    struct Path: Sendable, CustomStringConvertible {
        var description: String
        /// Bit for bit (else within ``tolerance`` of the largest logit).
        var exact = true
        /// Bit for bit also with the production chunk (f16: no, the 128-token kernel threshold).
        var exactInProductionChunks = true
        var load: @Sendable () throws -> LlamaSequenceClassifier
    }
    static let tolerance: Float = 1e-5

    static let native = NativeKernels.current
    static let paths: [Path] = [
        // Bit for bit needs OpenBLAS's real kernels: its generic Prescott fallback (a CPU the library does
        // not know, BLAS.coreName) sums in an order that depends on the row count (measured 7e-7).
        Path(description: "f16 kernel (llama2-f16)", exact: !BLAS.genericKernels, exactInProductionChunks: false) {
            try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("llama2-f16"), threads: 2)
        },
        Path(description: "q8 kernel (native-bf16 --weights q8)") {
            try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("native-bf16"), threads: 2, weightFormat: .q8)
        },
        Path(description: "bf16 oneDNN (native-bf16)") {
            try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("native-bf16"), threads: 2)
        },
        Path(description: "f32 (tiny-f32)", exact: false) {
            try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("tiny-f32"), threads: 2)
        },
        Path(description: "widening (llama2-f16, DRGCODER_KERNELS=widen)", exact: false) {
            try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("llama2-f16"), threads: 2, kernels: .widening)
        },
    ]

    /// `count` ids spread over the vocabulary (never 0, the fixtures' pad id, so the last token is read).
    static func ids(_ count: Int, vocabulary: Int) -> [Int] {
        (0..<count).map { 1 + ($0 * 7_919 + 13) % (min(vocabulary, 1_000) - 1) }
    }

    /// Logits with `layerTokens` tokens per chunk (`Int.max`: one pass over all tokens).
    static func logits(_ model: LlamaSequenceClassifier, _ ids: [Int], chunk: Int) throws -> [Float] {
        model.layerTokens = chunk
        return try model.logits(tokenIDs: ids)
    }

    /// The logits of `count` tokens with `chunk` tokens per chunk against one pass, as `path` requires.
    static func expectSame(_ path: Path, _ model: LlamaSequenceClassifier, count: Int, chunk: Int) throws {
        let ids = Self.ids(count, vocabulary: model.config.vocabSize)
        let whole = try logits(model, ids, chunk: .max), chunked = try logits(model, ids, chunk: chunk)
        let distance = maxAbsoluteDifference(chunked, whole).value
        let allowed = path.exact ? 0 : tolerance * whole.map(abs).max()!
        let same = path.exact ? chunked == whole : distance <= allowed   // a Bool: a failure prints no arrays
        #expect(same, "\(path), \(count) tokens in chunks of \(chunk): max |Δ| \(distance) > \(allowed)")
    }

    @Test(arguments: paths)
    func smallChunksGiveTheUnchunkedLogits(_ path: Path) throws {
        let model = try path.load()
        let chunk = 5
        for count in [1, chunk - 1, chunk, chunk + 1, 2 * chunk + 3] {
            try Self.expectSame(path, model, count: count, chunk: chunk)
        }
    }

    @Test(arguments: paths)
    func theProductionChunkGivesTheUnchunkedLogits(_ path: Path) throws {
        var path = path
        path.exact = path.exact && path.exactInProductionChunks
        let model = try path.load()
        for count in [Workspace.layerTokens + 1, 2 * Workspace.layerTokens + 1] {
            try Self.expectSame(path, model, count: count, chunk: Workspace.layerTokens)
        }
    }

    /// What a pass of the two-layer `model` over `ids` (at most 16) captures for evidence, every layer kept.
    static func capture(_ model: LlamaSequenceClassifier, _ ids: [Int]) throws -> AttentionCapture {
        let config = model.config
        let capture = AttentionCapture(layers: 2, totalLayers: 2, heads: config.numAttentionHeads, kvHeads: config.kvHeads,
                                       headDim: config.headDimension, hidden: config.hiddenSize, capacity: 16)
        _ = try model.logits(tokenIDs: ids, capture: capture)
        return capture
    }

    /// The evidence capture (attention rows, values, the pooled residual) is the same chunked or not.
    @Test func theEvidenceCaptureIsTheSameChunked() throws {
        let model = try Self.paths[1].load()
        let config = model.config, ids = Self.ids(13, vocabulary: config.vocabSize)
        func capture(chunk: Int) throws -> AttentionCapture {
            model.layerTokens = chunk
            return try Self.capture(model, ids)
        }
        let whole = try capture(chunk: .max), chunked = try capture(chunk: 4)
        #expect(chunked.residual == whole.residual)
        for slot in 0..<2 {
            for head in 0..<config.numAttentionHeads {
                let a = ids.indices.map { chunked.attentionWeight(slot: slot, head: head, to: $0) }
                let b = ids.indices.map { whole.attentionWeight(slot: slot, head: head, to: $0) }
                #expect(a == b, "slot \(slot) head \(head)")
            }
        }
        let i = ids.count - 2, j = 3
        #expect(chunked.meanAttentionWeight(slot: 0, from: i, to: j) == whole.meanAttentionWeight(slot: 0, from: i, to: j))
    }

    /// Chunked by default exactly where every projection is one of our in-place kernels.
    @Test func onlyTheInPlaceKernelsChunkByDefault() throws {
        let f16 = try Self.paths[0].load(), q8 = try Self.paths[1].load()
        let f32 = try Self.paths[3].load(), widening = try Self.paths[4].load()
        #expect(f16.layerTokens == (Self.native.f16 ? Workspace.layerTokens : nil))
        #expect(q8.layerTokens == (Self.native.q8 ? Workspace.layerTokens : nil))
        #expect(f32.layerTokens == nil)
        #expect(widening.layerTokens == nil)
    }
}

import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// The classifier reads one position, so the last layer runs its queries, attention output, norm and
/// MLP for that token alone (`Block.lastTokenOnly`; keys and values still for every token, since the
/// last query attends to them all). The last token's products then run as a batch of one instead of
/// inside a batch of many, which may sum in another order (`sgemv` for f32; our kernels' paths chosen
/// by batch size): each product moves by at most γ(k)·Σ|x·w|, so the logits are held to 1e-5 of the
/// largest (the chunked-prefill tests' bound, measured 1.1e-5 → here well inside it), and the top label
/// must not change. Inputs: 1 token (nothing to skip), 2, an odd count, and across the production chunk.
@Suite struct LastLayerTests {
    static let tolerance: Float = 1e-5

    @Test(arguments: ChunkedPrefillTests.paths)
    func theLastTokensLogitsAreThoseOfTheWholeLayer(_ path: ChunkedPrefillTests.Path) throws {
        let model = try path.load()
        for count in [1, 2, 13, Workspace.layerTokens + 3] {
            let ids = ChunkedPrefillTests.ids(count, vocabulary: model.config.vocabSize)
            model.pruneLastLayer = false
            let whole = try model.logits(tokenIDs: ids)
            model.pruneLastLayer = true
            let pruned = try model.logits(tokenIDs: ids)
            let distance = maxAbsoluteDifference(pruned, whole).value
            let allowed = Self.tolerance * whole.map(abs).max()!
            #expect(distance <= allowed, "\(path), \(count) tokens: max |Δ| \(distance) > \(allowed)")
            #expect(pruned.indices.max { pruned[$0] < pruned[$1] } == whole.indices.max { whole[$0] < whole[$1] })
        }
    }

    /// Evidence reads the last layer's captured values (every position's `v`), the pooled row's
    /// attention and the pooled residual: with the skip they are those of the whole layer (the values
    /// from the very same products, the rest within the one-token products' rounding).
    @Test func theEvidenceCaptureIsThatOfTheWholeLayer() throws {
        let model = try ChunkedPrefillTests.paths[3].load()
        let config = model.config, ids = ChunkedPrefillTests.ids(13, vocabulary: config.vocabSize)
        func capture(pruned: Bool) throws -> AttentionCapture {
            model.pruneLastLayer = pruned
            return try ChunkedPrefillTests.capture(model, ids)
        }
        let whole = try capture(pruned: false), pruned = try capture(pruned: true)
        let width = config.kvHeads * config.headDimension, top = 1
        func values(_ c: AttentionCapture) -> [Float] {
            Array(UnsafeBufferPointer(start: c.values + top * c.capacity * width, count: ids.count * width))
        }
        #expect(values(pruned) == values(whole))
        #expect(values(whole).contains { $0 != 0 })
        for head in 0..<config.numAttentionHeads {
            let a = ids.indices.map { pruned.attentionWeight(slot: top, head: head, to: $0) }
            let b = ids.indices.map { whole.attentionWeight(slot: top, head: head, to: $0) }
            #expect(maxAbsoluteDifference(a, b).value <= 1e-5, "head \(head)")
        }
        #expect(maxAbsoluteDifference(pruned.residual, whole.residual).value <= Self.tolerance * whole.residual.map(abs).max()!)
    }

    /// The pass really skips the work: the count the bench divides by drops by the last layer's
    /// queries, output, MLP and attention for all tokens but one.
    @Test func theOperationCountDropsByTheSkippedWork() throws {
        let model = try ChunkedPrefillTests.paths[3].load()
        model.pruneLastLayer = false
        let whole = model.floatingPointOperations(tokens: 100)
        model.pruneLastLayer = true
        let pruned = model.floatingPointOperations(tokens: 100)
        let c = model.config, d = c.headDimension, hidden = c.hiddenSize
        let qo = 2 * c.numAttentionHeads * d * hidden, mlp = 3 * c.intermediateSize * hidden
        // 99 tokens skip q, o and the MLP; attention goes from the causal blocks to one row.
        let causalAttention = 4.0 * Double(c.numAttentionHeads * d) * Double(100 * 100)
        let expected = 2.0 * 99 * Double(qo + mlp) + causalAttention - 4.0 * Double(c.numAttentionHeads * d * 100)
        #expect(abs((whole - pruned) - expected) < 1e-6 * whole)
    }
}

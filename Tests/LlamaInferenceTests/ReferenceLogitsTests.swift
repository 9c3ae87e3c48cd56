import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// Logits of the committed tiny models against transformers (float32 from the stored weights).
@Suite struct ReferenceLogitsTests {
    static let tolerance: Float = 1e-4

    @Test(arguments: try Fixtures.cases("tiny-f32"))
    func tinyF32MatchesTransformers(_ reference: ReferenceCase) throws {
        let model = try Fixtures.tinyF32.get()
        try expectMatch(model, reference)
    }

    @Test(arguments: try Fixtures.cases("llama2-f16"))
    func llama2VocabularyF16MatchesTransformers(_ reference: ReferenceCase) throws {
        let model = try Self.llama2.get()
        try expectMatch(model, reference)
    }

    @Test(arguments: try Fixtures.cases("llama3-bf16"))
    func llama3VocabularyBF16ShardedMatchesTransformers(_ reference: ReferenceCase) throws {
        let model = try Self.llama3.get()
        try expectMatch(model, reference)
    }

    @Test func fixturesCoverWhatTheyClaim() throws {
        let llama2 = try Self.llama2.get(), llama3 = try Self.llama3.get()
        #expect(llama2.labelCount == 738 && llama2.config.vocabSize == 32000)
        #expect(llama3.labelCount == 345 && llama3.config.vocabSize == 128256)
        #expect(llama2.weights.embedTokens.isHalf && llama3.weights.layers[0].q.isHalf)
        #expect(try llama2.config.resolvedRope() == .init(theta: 10000, scaling: .none))
        #expect(try llama3.config.resolvedRope() == .init(theta: 500000, scaling: .llama3(
            factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalContext: 8192)))
        #expect(llama3.config.kvHeads < llama3.config.numAttentionHeads)
        let truncated = try Fixtures.cases("llama2-f16").filter { $0.truncated == true }
        #expect(truncated.count == 1 && truncated.first?.tokenIDs.count == 512)
    }

    static let llama2 = Result { try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("llama2-f16"), threads: 1, kernels: .widening) }
    static let llama3 = Result { try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("llama3-bf16"), threads: 1, kernels: .widening) }

    private func expectMatch(_ model: LlamaSequenceClassifier, _ reference: ReferenceCase) throws {
        let logits = try model.logits(tokenIDs: reference.tokenIDs)
        let worst = maxAbsoluteDifference(logits, reference.logits)
        #expect(logits.count == reference.logits.count)
        #expect(worst.value <= Self.tolerance,
                "\(reference.name): |Δ| \(worst.value) at logit \(worst.index): swift \(logits[max(worst.index, 0)]) vs transformers \(reference.logits[max(worst.index, 0)])")
    }
}

/// The element-wise loops split across threads (softmax rows, SiLU) give the same answer.
@Suite struct ThreadingTests {
    @Test func twoThreadsMatchTransformersToo() throws {
        let model = try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("llama2-f16"), threads: 2)
        #expect(model.threads == 2)
        for reference in try Fixtures.cases("llama2-f16") {
            let logits = try model.logits(tokenIDs: reference.tokenIDs)
            #expect(maxAbsoluteDifference(logits, reference.logits).value <= ReferenceLogitsTests.tolerance, "\(reference.name)")
        }
    }
}

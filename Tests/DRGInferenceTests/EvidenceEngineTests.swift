import DRGKit
import Foundation
import TestSupport
import Testing
@testable import DRGInference
@testable import LlamaInference

/// The cheap method on a real forward pass (the engine's tiny-f32 fixture: 2 layers, 4 heads,
/// 2 kv-heads, hidden 32, 738 drg-llama-single labels, pad id 0).
@Suite struct EvidenceEngineTests {
    let ids = [1, 17, 45, 3, 88, 23, 61, 9, 54]

    /// A capturing pass computes what a plain one does (the last layer for the pooled token only,
    /// `LastLayerTests`), so `predict`'s logits are exactly those of scoring without evidence.
    @Test func captureLeavesTheLogitsUnchanged() throws {
        let model = try Fixtures.tinyF32.get()
        let plain = try model.logits(tokenIDs: ids)
        let evidence = DirectLogitAttribution(classifier: model)
        let run = try evidence.run(tokenIDs: ids) { _ in [] }
        #expect(run.logits == plain)
        #expect(evidence.layers == 2)
    }

    @Test func capturedAttentionRowsAreDistributionsAndValuesAreLayerZerosV() throws {
        let model = try Fixtures.tinyF32.get()
        let config = model.config
        let capture = AttentionCapture(layers: 2, totalLayers: 2, heads: config.numAttentionHeads, kvHeads: config.kvHeads,
                                       headDim: config.headDimension, hidden: config.hiddenSize, capacity: 32)
        _ = try model.logits(tokenIDs: ids, capture: capture)
        #expect(capture.tokens == ids.count)
        for slot in 0..<2 {
            for h in 0..<config.numAttentionHeads {
                let row = (0..<ids.count).map { capture.attentionWeight(slot: slot, head: h, to: $0) }
                #expect(abs(row.reduce(0, +) - 1) < 1e-5)
                #expect(row.allSatisfy { $0 >= 0 })
            }
        }
        // Layer 0's values: v = rmsnorm(embed(id)) · W_vᵀ, recomputed from the weights.
        let w = model.weights, hidden = config.hiddenSize, kvWidth = config.kvHeads * config.headDimension
        var embedding = [Float](repeating: 0, count: hidden)
        var wv = [Float](repeating: 0, count: kvWidth * hidden)
        wv.withUnsafeMutableBufferPointer { w.layers[0].v.widenRows(0, count: kvWidth, into: $0.baseAddress!) }
        for (t, id) in ids.enumerated() {
            embedding.withUnsafeMutableBufferPointer { w.embedTokens.widenRows(id, count: 1, into: $0.baseAddress!) }
            let s = 1 / (embedding.reduce(0) { $0 + $1 * $1 } / Float(hidden) + config.epsilon).squareRoot()
            let normed = embedding.indices.map { embedding[$0] * s * w.layers[0].inputNorm[$0] }
            for r in 0..<kvWidth {
                let expected = (0..<hidden).reduce(Float(0)) { $0 + wv[r * hidden + $1] * normed[$1] }
                #expect(abs(capture.values[t * kvWidth + r] - expected) < 1e-4)
            }
        }
        // x_p before the final norm: norm(x_p) · W_scoreᵀ reproduces the logits.
        let logits = try model.logits(tokenIDs: ids, capture: capture)
        let x = capture.residual
        let s = 1 / (x.reduce(0) { $0 + $1 * $1 } / Float(hidden) + config.epsilon).squareRoot()
        let pooled = x.indices.map { x[$0] * s * w.norm[$0] }
        var row = [Float](repeating: 0, count: hidden)
        for label in [0, 100, 737] {
            row.withUnsafeMutableBufferPointer { w.score.widenRows(label, count: 1, into: $0.baseAddress!) }
            #expect(abs(zip(row, pooled).reduce(0) { $0 + $1.0 * $1.1 } - logits[label]) < 1e-4)
        }
    }

    @Test func scoresAreClassSpecificAndAddUp() throws {
        let model = try Fixtures.tinyF32.get()
        let space = LabelSpace.drgLlamaSingle
        let evidence = DirectLogitAttribution(classifier: model)
        var top = ""
        let run = try evidence.run(tokenIDs: ids) { logits in
            top = space.predict(logits: logits).ranked.first?.drg ?? ""
            return try [EvidenceTarget.drg(top), .base(of: top), .ccMcc(of: top), .drg("871")]
                .map { try $0.objective(logits: logits, in: space) }
        }
        #expect(run.tokenScores.count == 4 && run.tokenScores.allSatisfy { $0.count == ids.count })
        // log P(drg) = log P(base) + log P(drg | base), and DLA is linear in the target.
        for j in ids.indices {
            #expect(abs(run.tokenScores[0][j] - run.tokenScores[1][j] - run.tokenScores[2][j]) < 1e-4)
        }
        if top != "871" { #expect(run.tokenScores[0] != run.tokenScores[3]) }
    }

    @Test func aShortCaptureIsRejected() throws {
        let model = try Fixtures.tinyF32.get()
        let config = model.config
        let small = AttentionCapture(layers: 1, totalLayers: 2, heads: config.numAttentionHeads, kvHeads: config.kvHeads,
                                     headDim: config.headDimension, hidden: config.hiddenSize, capacity: 4)
        #expect(throws: EvidenceError.self) { try model.logits(tokenIDs: ids, capture: small) }
    }

    @Test(arguments: ["llama2-f16", "llama3-bf16"])
    func predictReportsEvidenceOfTheTopDRGAtNoteOffsets(_ fixture: String) throws {
        let tokenizer = fixture == "llama2-f16" ? "llama2-spm.tokenizer.json" : "llama3-bpe.tokenizer.json"
        let directory = try DRGClassifierTests.modelDirectory(fixture: fixture, tokenizer: tokenizer)
        defer { directory.cleanUp() }
        let classifier = try DRGClassifier.load(modelDirectory: directory.url, adapterDirectory: nil, labels: nil, threads: 1)
        let text = "Brief Hospital Course:\nMs. ___ is a 71 y/o F admitted with acute on chronic systolic heart failure. "
            + "Course complicated by hyponatremia; Na 124. Diuresed with IV furosemide 40 mg.\n# AKI: Cr 2.1, improved."
        let result = try classifier.predict(text: text)
        let plain = try classifier.model.logits(tokenIDs: result.tokenIDs)
        #expect(result.logits == plain)
        let evidence = result.prediction.evidence
        let top = try #require(result.prediction.ranked.first)
        #expect(!evidence.isEmpty)
        #expect(evidence.count <= 2 * DRGEvidence.defaultPerAspect)
        let scalars = Array(text.unicodeScalars)
        for span in evidence {
            #expect(0 <= span.start && span.start < span.end && span.end <= scalars.count)
            #expect(String(String.UnicodeScalarView(scalars[span.start..<span.end])) == span.text)
            #expect(span.score > 0)
            #expect(span.aspect == "base" ? span.supports == top.base : span.supports == top.drg)
        }
        // Base spans first, each aspect best first, never overlapping within an aspect.
        let aspects = evidence.map(\.aspect)
        #expect(aspects == aspects.sorted { $0 == "base" && $1 != "base" })
        for aspect in ["base", "cc_mcc"] {
            let spans = evidence.filter { $0.aspect == aspect }
            #expect(zip(spans, spans.dropFirst()).allSatisfy { $0.score >= $1.score })
            for (i, a) in spans.enumerated() { for b in spans[(i + 1)...] { #expect(a.end <= b.start || b.end <= a.start) } }
        }
        // Several DRGs from one pass: the top one's evidence is predict's, the runner-up's is its own.
        let second = try #require(result.prediction.ranked.dropFirst().first)
        let both = try classifier.evidence(text: text, drgs: [top.drg, second.drg])
        let first = Array(both.prefix(evidence.count))
        #expect(first.map { [$0.start, $0.end] } == evidence.map { [$0.start, $0.end] })
        #expect(first.map { $0.aspect + $0.supports } == evidence.map { $0.aspect + $0.supports })
        #expect(zip(first, evidence).allSatisfy { abs($0.score - $1.score) < 1e-5 })   // batched BLAS order
        let rest = both.dropFirst(evidence.count)
        #expect(rest.allSatisfy { $0.aspect == "base" ? $0.supports == second.base : $0.supports == second.drg })
        #expect(throws: EvidenceError.self) { try classifier.evidence(text: text, drgs: ["not-a-drg"]) }
        // The on-demand method covers whole sentences of the same note.
        let occluded = try classifier.occlusionEvidence(text: text, drg: top.drg)
        #expect(occluded.allSatisfy { $0.score > 0 && String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) == $0.text })
    }
}

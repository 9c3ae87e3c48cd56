import DRGKit
import Foundation
import Testing
@testable import DRGInference

/// The forward pass and the preprocessing against the repository's own (reference.json).
@Suite struct CAMLReferenceTests {
    @Test(arguments: CAMLFixtures.names)
    func forwardMatchesTheRepositoryLogits(name: String) throws {
        let reference = try CAMLFixtures.reference(name)
        let caml = try CAMLClassifier.load(directory: CAMLFixtures.model(name))
        #expect(caml.rules.labels.map { String($0.drgCode) } == reference.labels)
        for (n, c) in reference.cases.enumerated() {
            let output = caml.model.forward(ids: c.inputIDs)
            let worst = worstRelative(output.logits, c.logits)
            #expect(worst.value <= 1e-4, "\(name) case \(n): logit \(worst.index) is \(worst.index >= 0 ? output.logits[worst.index] : .nan), reference \(worst.index >= 0 ? c.logits[worst.index] : .nan)")
            let top = output.logits.indices.max { output.logits[$0] < output.logits[$1] }
            #expect(top == c.topIndex && top != nil, "\(name) case \(n)")
        }
    }

    @Test(arguments: CAMLFixtures.names)
    func preprocessingGivesTheRepositoryTokensAndIDs(name: String) throws {
        let reference = try CAMLFixtures.reference(name)
        let caml = try CAMLClassifier.load(directory: CAMLFixtures.model(name))
        for (n, c) in reference.cases.enumerated() {
            let tokens = CAMLPreprocessing.tokenize(c.text)
            #expect(tokens.map(\.text) == c.tokens && c.tokens != nil, "\(name) case \(n)")
            let (ids, _) = CAMLPreprocessing.ids(tokens, vocabulary: caml.vocabulary, length: caml.hyperparameters.maxSequenceLength)
            #expect(ids == c.inputIDs, "\(name) case \(n)")
        }
    }

    /// Text in, DRG out: the whole pipeline gives the reference's logits and top DRG.
    @Test(arguments: CAMLFixtures.names)
    func predictFromTextMatches(name: String) throws {
        let reference = try CAMLFixtures.reference(name)
        let caml = try CAMLClassifier.load(directory: CAMLFixtures.model(name))
        for (n, c) in reference.cases.enumerated() {
            let result = try caml.predict(text: c.text)
            #expect(worstRelative(result.result.logits, c.logits).value <= 1e-4, "\(name) case \(n)")
            let top = result.result.prediction.ranked.first?.drg
            let expected = try caml.rules.labels[#require(c.topIndex)].code
            #expect(top == expected, "\(name) case \(n)")
            #expect(result.result.tokenIDs == c.inputIDs)
        }
    }

    @Test func zipAndLegacyCheckpointsGiveTheSameModel() throws {
        let legacy = try CAMLClassifier.load(directory: CAMLFixtures.model("ms-k5"))
        let zip = try CAMLModel(checkpoint: CAMLFixtures.directory.appendingPathComponent("zip/checkpoint.bin"),
                                hyperparameters: legacy.hyperparameters, vocabulary: legacy.vocabulary.count, labels: legacy.rules.labels.count)
        let ids = try CAMLFixtures.reference("ms-k5").cases[0].inputIDs
        #expect(zip.forward(ids: ids).logits == legacy.model.forward(ids: ids).logits)
    }

    /// The padding is attended to: the same note in a longer window gives other logits (as in the
    /// repository, whose softmax runs over every max_seq_length position).
    @Test func paddingPositionsTakePartInTheAttention() throws {
        let caml = try CAMLClassifier.load(directory: CAMLFixtures.model("ms-k5"))
        var longer = caml.hyperparameters
        longer.maxSequenceLength += 10
        let model = try CAMLModel(checkpoint: CAMLFixtures.model("ms-k5").appendingPathComponent("checkpoint.bin"),
                                  hyperparameters: longer, vocabulary: caml.vocabulary.count, labels: caml.rules.labels.count)
        let ids = try CAMLFixtures.reference("ms-k5").cases[3].inputIDs
        let a = caml.model.forward(ids: ids).logits, b = model.forward(ids: ids + [Int](repeating: 0, count: 10)).logits
        #expect(a != b)
    }

    @Test func evidenceSpansAreTheTopAttentionWindowsOfTheShownDRG() throws {
        let caml = try CAMLClassifier.load(directory: CAMLFixtures.model("ms-k5"))
        let text = try CAMLFixtures.reference("ms-k5").cases[0].text
        let result = try caml.predict(text: text, evidenceCount: 3)
        let spans = result.result.prediction.evidence
        #expect(spans.count == 3)
        let scalars = Array(text.unicodeScalars)
        for span in spans {
            #expect(span.supports == result.result.prediction.ranked.first?.drg)
            #expect(String(String.UnicodeScalarView(scalars[span.start..<span.end])) == span.text)
        }
        #expect(spans.map(\.score) == spans.map(\.score).sorted(by: >))
        // The best span is the window of the position with the highest attention of the top label.
        let tokens = CAMLPreprocessing.tokenize(text)
        let (ids, _) = CAMLPreprocessing.ids(tokens, vocabulary: caml.vocabulary, length: caml.hyperparameters.maxSequenceLength)
        let output = caml.model.forward(ids: ids)
        let top = try #require(output.logits.indices.max { output.logits[$0] < output.logits[$1] })
        let row = output.attention[(top * output.positions)..<((top + 1) * output.positions)]
        let t = try #require(row.indices.max { row[$0] < row[$1] }) - top * output.positions
        let window = max(0, t - 2)..<min(tokens.count, t + 3)
        #expect(spans.first?.start == tokens[window.lowerBound].start)
        #expect(spans.first?.end == tokens[window.upperBound - 1].end)
    }
}

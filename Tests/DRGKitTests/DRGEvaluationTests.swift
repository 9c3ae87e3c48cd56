import Testing
@testable import DRGKit

@Suite struct DRGEvaluationTests {
    @Test func evaluatesStoredPredictions() throws {
        let space = try LabelSpace(singleLabels: ["291", "292", "293", "069"], version: .v43, name: "t")
        let answers = [
            space.predict(logits: [3, 1, 0, 0]),  // top 291, truth 291
            space.predict(logits: [3, 1, 0, 0]),  // top 291, truth 292: base right, class wrong
            space.predict(logits: [0, 0, 0, 4]),  // top 069, truth 069
        ]
        let table = DRGTable.table(for: .v43)
        #expect(DRGEvaluation(predictions: answers, truths: ["291"], table: table) == nil)  // unequal counts
        let evaluation = try #require(DRGEvaluation(predictions: answers + [answers[0]],
                                                    truths: ["291", "292", "069", "bogus"], table: table))
        #expect(evaluation.skipped == 1 && evaluation.drg.count == 3)
        #expect(abs(evaluation.drg.accuracy - 2.0 / 3) < 1e-12)
        #expect(evaluation.baseAccuracy == 1)
        #expect(abs(evaluation.ccMccAccuracy - 2.0 / 3) < 1e-12)
        let w = { (code: String) in table.entry(code)?.weight ?? 0 }
        let predicted = (w("291") * 2 + w("069")) / 3, actual = (w("291") + w("292") + w("069")) / 3
        #expect(abs((evaluation.cmiError ?? 0) - (predicted - actual) / actual) < 1e-12)
        #expect(DRGEvaluation(predictions: [], truths: [], table: table) == nil)
    }
}

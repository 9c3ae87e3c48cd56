import Foundation
import Testing
import TestSupport
@testable import DRGKit

/// Metrics against scikit-learn, on cases written by training/fixtures/make_metrics_fixtures.py.
struct MetricsFixture: Decodable {
    struct Expected: Decodable, Sendable {
        var acc1: Double?, acc5: Double?, acc10: Double?
        var macro_f1: Double, micro_f1: Double, macro_auc: Double, micro_auc: Double
        var labels_present: Int, count: Int
    }
    struct Case: Decodable, Sendable, CustomStringConvertible {
        var name: String
        var softmax: Bool
        var scores: [[Double]]
        var labels: [Int]
        var expected: Expected
        var description: String { name }
    }
    struct MapRule: Decodable { var rows: [[Int]]; var acc_map: Double }
    var cases: [Case]
    var map_rule: MapRule

    static func load() throws -> MetricsFixture {
        let url = try #require(Bundle.module.url(forResource: "metrics", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(MetricsFixture.self, from: Data(contentsOf: url))
    }
}

@Suite struct MetricsTests {
    /// A fixture that does not load fails `equalsScikitLearn` (one failing case), never zero cases.
    static let cases = FixtureCases.load { try MetricsFixture.load().cases }
    let tolerance = 1e-9

    @Test func fixtureLoads() throws {
        #expect(try MetricsFixture.load().cases.count == 4)
    }

    @Test(arguments: cases) func equalsScikitLearn(_ loaded: FixtureCases<MetricsFixture.Case>) throws {
        let fixture = try loaded.get()
        let scores = fixture.softmax ? fixture.scores.map { softmax($0) } : fixture.scores
        let report = try #require(MetricsReport(scores: scores, labels: fixture.labels))
        let e = fixture.expected
        if let acc1 = e.acc1, let acc5 = e.acc5, let acc10 = e.acc10 {
            #expect(abs(report.accuracy - acc1) < tolerance)
            #expect(abs(report.accuracyAt5 - acc5) < tolerance)
            #expect(abs(report.accuracyAt10 - acc10) < tolerance)
        }
        #expect(abs(report.macroF1 - e.macro_f1) < tolerance, "macro F1 \(report.macroF1) vs \(e.macro_f1)")
        #expect(abs(report.microF1 - e.micro_f1) < tolerance, "micro F1 \(report.microF1) vs \(e.micro_f1)")
        #expect(abs((report.macroAUC ?? -1) - e.macro_auc) < tolerance, "macro AUC \(String(describing: report.macroAUC)) vs \(e.macro_auc)")
        #expect(abs((report.microAUC ?? -1) - e.micro_auc) < tolerance, "micro AUC \(String(describing: report.microAUC)) vs \(e.micro_auc)")
        #expect(report.labelsPresent == e.labels_present && report.count == e.count)
    }

    @Test func mapRuleAccuracyEqualsTheReferenceRule() throws {
        let fixture = try MetricsFixture.load().map_rule
        let accuracy = try #require(TwoLabelReport.mappedAccuracy(
            space: .drgLlamaTwo,
            predictions: fixture.rows.map { ($0[0], $0[1]) }, truths: fixture.rows.map { ($0[2], $0[3]) }))
        #expect(abs(accuracy - fixture.acc_map) < 1e-12)
    }

    @Test func smallHandChecks() throws {
        #expect(ClassificationMetrics.rocAUC(scores: [0.9, 0.1], positives: [true, false]) == 1)
        #expect(ClassificationMetrics.rocAUC(scores: [0.5, 0.5], positives: [true, false]) == 0.5)
        #expect(ClassificationMetrics.rocAUC(scores: [0.5], positives: [true]) == nil)
        #expect(ClassificationMetrics.accuracy(atK: 1, scores: [[0.1, 0.9]], labels: [2]) == nil)
        #expect(MetricsReport(scores: [], labels: []) == nil)
        let f1 = try #require(ClassificationMetrics.f1(predictions: [0, 2, 1], labels: [0, 1, 1]))
        #expect(abs(f1.macro - (1 + 2.0 / 3) / 2) < 1e-12)  // label 2 is not counted
        #expect(abs(f1.micro - 0.8) < 1e-12)
    }

    @Test func twoLabelReportOnDRGLlamaTwo() throws {
        let space = LabelSpace.drgLlamaTwo
        func logits(_ drg: String, classLogit: Int) throws -> [Float] {
            let target = try #require(space.twoLabelTarget(of: drg))
            var v = [Float](repeating: 0, count: 345)
            v[target.base] = 5; v[340 + classLogit] = 5
            return v
        }
        // 291 right; 057 predicted "with CC" (mapped to without MCC: right); 069 with a wrong base.
        let rows = [try logits("291", classLogit: 2), try logits("057", classLogit: 1), try logits("291", classLogit: 4)]
        let report = try #require(TwoLabelReport(space: space, logits: rows, trueDRGs: ["291", "057", "069"]))
        #expect(abs(report.mappedAccuracy - 2.0 / 3) < 1e-12)
        #expect(abs(report.base.accuracy - 2.0 / 3) < 1e-12)
        #expect(abs(report.ccMcc.accuracy - 2.0 / 3) < 1e-12)
        #expect(TwoLabelReport(space: .drgLlamaSingle, logits: rows, trueDRGs: ["291", "057", "069"]) == nil)
    }
}

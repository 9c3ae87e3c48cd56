import Foundation
import Testing
@testable import DRGKit

/// Metrics of self-weighted (CAML) predictions in their own DRG system.
@Suite struct LabelSystemEvaluationTests {
    static func prediction(_ system: String, _ ranked: [(String, Double, Double)]) -> DRGPrediction {
        DRGPrediction(ranked: ranked.map { RankedDRG(drg: $0.0, description: $0.0, probability: $0.1, weight: $0.2) },
                      baseDRGs: [], ccMcc: [], labelSystem: system)
    }

    @Test func msDRGReferencesAreReadWithThreeDigitsAndAPRCodesAreLeftOut() throws {
        let p1 = Self.prediction("MS-DRG", [("069", 0.7, 1.0), ("291", 0.3, 1.5)])
        let p2 = Self.prediction("MS-DRG", [("291", 0.6, 1.5), ("069", 0.4, 1.0)])
        let p3 = Self.prediction("MS-DRG", [("291", 0.9, 1.5), ("069", 0.1, 1.0)])
        let e = try #require(LabelSystemEvaluation(predictions: [p1, p2, p3], truths: ["69", "069", "194-4"], resamples: 50))
        #expect(e.labelSystem == "MS-DRG" && e.skipped == 1 && e.labels == 2 && e.drg.count == 2)
        #expect(e.drg.accuracy == 0.5)
        let cmi = try #require(e.cmi)
        #expect(cmi.predictedCMI.value == 1.25 && cmi.finalCMI.value == 1.0 && cmi.finalPayment == 2 * Payment.defaultBaseRate)
    }

    @Test func aprDRGReferencesNeedASeverityAndMSDRGsAreLeftOut() throws {
        let p = Self.prediction("APR-DRG", [("194-4", 0.8, 2.0), ("005-1", 0.2, 3.0)])
        let e = try #require(LabelSystemEvaluation(predictions: [p, p, p, p], truths: ["194-4", "5-1", "291", "1944"], resamples: 50))
        #expect(e.labelSystem == "APR-DRG" && e.skipped == 2 && e.drg.count == 2)
        #expect(e.cmi?.finalCMI.value == 2.5 && e.cmi?.predictedCMI.value == 2.0)
        #expect(LabelSystemEvaluation.normalized("194 4", system: "APR-DRG") == "194-4")
        #expect(LabelSystemEvaluation.normalized("291", system: "APR-DRG") == nil)
        #expect(LabelSystemEvaluation.normalized("194-5", system: "APR-DRG") == nil)
        #expect(LabelSystemEvaluation.normalized("194-4", system: "MS-DRG") == nil)
    }

    @Test func predictionsOfTwoSystemsAreRefused() {
        let ms = Self.prediction("MS-DRG", [("291", 1, 1.5)]), apr = Self.prediction("APR-DRG", [("194-4", 1, 2)])
        #expect(LabelSystemEvaluation(predictions: [ms, apr], truths: ["291", "194-4"]) == nil)
        #expect(LabelSystemEvaluation(predictions: [ms], truths: ["194-4"]) == nil)
    }
}

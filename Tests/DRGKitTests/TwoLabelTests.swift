import Foundation
import Testing
@testable import DRGKit

/// Two-label inference, the full distribution and `map_rule` on the split families of the paper's
/// Supplementary Note 1: DRG 011-013 (three-way), 052-053 (MCC/CC vs none), 056-057 (MCC vs rest),
/// 069 (no split).
@Suite struct TwoLabelTests {
    let space = LabelSpace.drgLlamaTwo
    var table: DRGTable { space.table }

    /// Logits that put `baseLogit` first (or a small mix of bases) and the class head at `classes`.
    func logits(bases: [Int: Float], classes: [Float]) -> [Float] {
        var v = [Float](repeating: -10, count: 340)
        for (b, value) in bases { v[b] = value }
        return v + classes
    }

    func baseLogit(_ code: String) throws -> Int { try #require(space.twoLabelTarget(of: code)?.base) }

    @Test func inferenceChoosesBestValidClass() throws {
        let degenerative = try baseLogit("056")
        // Class head: with CC (invalid for 056/057) > with MCC > others.
        let decision = try #require(space.twoLabelInference(logits: logits(bases: [degenerative: 5], classes: [0, 3, 2, 1, 0])))
        #expect(decision.rawClass == .withCC)
        #expect(decision.ccMcc == .withMCC && decision.drg == "056")
        let tia = try #require(space.twoLabelInference(logits: logits(bases: [try baseLogit("069"): 5], classes: [0, 0, 9, 0, 0])))
        #expect(tia.drg == "069" && tia.ccMcc == .notApplicable)
        let trach = try #require(space.twoLabelInference(logits: logits(bases: [try baseLogit("011"): 5], classes: [0, 1, 0, 0, 4])))
        #expect(trach.drg == "012")  // not applicable is invalid; with CC is the best valid class
    }

    @Test func fullDistributionIsBaseTimesConditionalClass() throws {
        let spinal = try baseLogit("052"), tia = try baseLogit("069")
        let v = logits(bases: [spinal: 2, tia: 1], classes: [0.5, 1, 2, -1, 0])
        let answer = space.predict(logits: v)
        let pBase = softmax(Array(v[..<340])), pClass = softmax(Array(v[340...]))
        let pSpinalCC = pBase[spinal] * pClass[1] / (pClass[1] + pClass[0])
        let p052 = try #require(answer.ranked.first { $0.drg == "052" })
        #expect(abs(p052.probability - pSpinalCC) < 1e-12)
        #expect(abs((answer.ranked.first { $0.drg == "069" }?.probability ?? 0) - pBase[tia]) < 1e-12)
        #expect(answer.ranked.count == 757)
        #expect(abs(answer.ranked.map(\.probability).reduce(0, +) - 1) < 1e-9)
        #expect(answer.ccMcc.first?.label == "with MCC")
        #expect(abs((answer.ccMcc.first?.probability ?? 0) - pClass[2]) < 1e-12)
    }

    @Test func mapRuleOnTheSplitFamilies() throws {
        func right(_ predicted: CCMCCClass, truth code: String) throws -> Bool {
            let target = try #require(space.twoLabelTarget(of: code))
            return space.mapRule(predictedBase: target.base, predictedClass: predicted,
                                 trueBase: target.base, trueClass: target.ccMcc)
        }
        // Three-way 011-013: valid classes must match; without MCC / not applicable map to without CC/MCC.
        #expect(try right(.withMCC, truth: "011") && !(try right(.withCC, truth: "011")))
        #expect(try right(.withoutMCC, truth: "013") && (try right(.notApplicable, truth: "013")))
        #expect(!(try right(.withoutMCC, truth: "011")))
        // MCC/CC vs none 052-053: with MCC maps to with CC/MCC, without MCC / n.a. to without CC/MCC.
        #expect(try right(.withMCC, truth: "052") && !(try right(.withMCC, truth: "053")))
        #expect(try right(.withoutMCC, truth: "053") && (try right(.notApplicable, truth: "053")))
        // MCC vs rest 056-057: without CC/MCC, with CC, n.a. all map to without MCC.
        for predicted in [CCMCCClass.withoutCCMCC, .withCC, .notApplicable] {
            #expect(try right(predicted, truth: "057") && !(try right(predicted, truth: "056")))
        }
        // No split 069: any class is right when the base is.
        for predicted in CCMCCClass.allCases { #expect(try right(predicted, truth: "069")) }
        // A wrong base is always wrong.
        #expect(!space.mapRule(predictedBase: try baseLogit("052"), predictedClass: .notApplicable,
                               trueBase: try baseLogit("069"), trueClass: .notApplicable))
    }

    @Test func tableResolvesAnyClassToADRGOfTheBase() throws {
        let spinal = try #require(table.base(of: "052"))
        #expect(table.drg(base: spinal.index, ccMcc: .withMCC)?.code == "052")
        #expect(table.drg(base: spinal.index, ccMcc: .notApplicable)?.code == "053")
        #expect(table.drg(base: try #require(table.base(of: "056")).index, ccMcc: .withCC)?.code == "057")
    }
}

import DRGKit
import Foundation
import TestSupport
import Testing
@testable import DRGInference
@testable import LlamaInference

@Suite struct EvidenceTargetTests {
    // 291/292/293: HEART FAILURE AND SHOCK with MCC / CC / without; 871/872: SEPTICEMIA with / without
    // MCC; 951: OTHER FACTORS INFLUENCING HEALTH STATUS, an unsplit base.
    static let codes = ["291", "292", "293", "871", "872", "951"]
    static let logits: [Float] = [1.5, 0.2, -0.7, 2.0, 0.1, -1.0]

    static func single() throws -> LabelSpace { try LabelSpace(singleLabels: codes, version: .v43, name: "test-single") }

    static func two() throws -> (LabelSpace, [Float]) {
        let table = DRGTable.table(for: .v43)
        let bases = ["291", "871", "951"].compactMap { table.base(of: $0)?.name }
        let space = try LabelSpace(twoLabelBases: bases, version: .v43, name: "test-two")
        return (space, [0.7, 1.1, -0.4, 0.3, 1.2, 0.9, -0.5, 0.0])
    }

    static let targets: [EvidenceTarget] = ["291", "292", "293", "871", "872", "951"].flatMap {
        [EvidenceTarget.drg($0), .base(of: $0), .ccMcc(of: $0)]
    }

    /// Central finite differences of `log P` against the analytic gradient.
    private func checkGradient(_ target: EvidenceTarget, _ logits: [Float], _ space: LabelSpace) throws {
        let objective = try target.objective(logits: logits, in: space)
        #expect(objective.gradient.count == space.logitCount)
        for i in logits.indices {
            var up = logits, down = logits
            up[i] += 1e-2; down[i] -= 1e-2
            let numeric = (try target.objective(logits: up, in: space).logProbability
                           - target.objective(logits: down, in: space).logProbability) / 2e-2
            #expect(abs(numeric - Double(objective.gradient[i])) < 1e-3, "\(target) logit \(i): \(numeric) vs \(objective.gradient[i])")
        }
    }

    @Test(arguments: targets) func singleLabelGradientsMatchFiniteDifferences(target: EvidenceTarget) throws {
        try checkGradient(target, Self.logits, Self.single())
    }

    @Test(arguments: targets) func twoLabelGradientsMatchFiniteDifferences(target: EvidenceTarget) throws {
        let (space, logits) = try Self.two()
        try checkGradient(target, logits, space)
    }

    @Test func singleLabelProbabilitiesAreDRGKitsMarginals() throws {
        let space = try Self.single()
        let prediction = space.predict(logits: Self.logits)
        for code in Self.codes {
            let entry = try #require(space.table.entry(code))
            let pDRG = try #require(prediction.ranked.first { $0.drg == code }?.probability)
            let pBase = try #require(prediction.baseDRGs.first { $0.label == entry.baseDRG }?.probability)
            #expect(abs(exp(try EvidenceTarget.drg(code).objective(logits: Self.logits, in: space).logProbability) - pDRG) < 1e-9)
            #expect(abs(exp(try EvidenceTarget.base(of: code).objective(logits: Self.logits, in: space).logProbability) - pBase) < 1e-9)
            #expect(abs(exp(try EvidenceTarget.ccMcc(of: code).objective(logits: Self.logits, in: space).logProbability) - pDRG / pBase) < 1e-9)
        }
    }

    @Test func twoLabelProbabilitiesAreDRGKitsInference() throws {
        let (space, logits) = try Self.two()
        let prediction = space.predict(logits: logits)
        for code in Self.codes {
            let entry = try #require(space.table.entry(code))
            let pDRG = try #require(prediction.ranked.first { $0.drg == code }?.probability)
            let pBase = try #require(prediction.baseDRGs.first { $0.label == entry.baseDRG }?.probability)
            #expect(abs(exp(try EvidenceTarget.drg(code).objective(logits: logits, in: space).logProbability) - pDRG) < 1e-6)
            #expect(abs(exp(try EvidenceTarget.base(of: code).objective(logits: logits, in: space).logProbability) - pBase) < 1e-6)
            // The class part touches only the class head; the base part only the base head.
            let split = try EvidenceTarget.ccMcc(of: code).objective(logits: logits, in: space)
            #expect(split.gradient[..<3].allSatisfy { $0 == 0 })
            let base = try EvidenceTarget.base(of: code).objective(logits: logits, in: space)
            #expect(base.gradient[3...].allSatisfy { $0 == 0 })
        }
    }

    @Test func anUnsplitBaseHasNoCCMCCSignal() throws {
        let objective = try EvidenceTarget.ccMcc(of: "951").objective(logits: Self.logits, in: Self.single())
        #expect(abs(objective.logProbability) < 1e-12)
        #expect(objective.gradient.allSatisfy { abs($0) < 1e-7 })
    }

    @Test func unknownDRGsAndShortLogitsThrow() throws {
        let space = try Self.single()
        #expect(throws: EvidenceError.unknownDRG("470", "test-single")) { try EvidenceTarget.drg("470").objective(logits: Self.logits, in: space) }
        #expect(throws: EvidenceError.logitCount(expected: 6, got: 2)) { try EvidenceTarget.drg("291").objective(logits: [0, 1], in: space) }
    }

    @Test func attributionDirectionsSeparateBaseFromSeverity() throws {
        let space = try Self.single()
        let base = try EvidenceTarget.base(of: "291").attributionDirection(logits: Self.logits, in: space)
        // 1/3 on each heart-failure DRG, −1/3 on the other three labels: no preference among siblings.
        #expect(base.gradient.map { ($0 * 3).rounded() } == [1, 1, 1, -1, -1, -1])
        let marginal = try EvidenceTarget.base(of: "291").attributionDirection(logits: Self.logits, in: space, baseDirection: .marginal)
        #expect(marginal == (try EvidenceTarget.base(of: "291").objective(logits: Self.logits, in: space)))
        let split = try EvidenceTarget.ccMcc(of: "291").objective(logits: Self.logits, in: space)
        let drg = try EvidenceTarget.drg("291").attributionDirection(logits: Self.logits, in: space)
        for i in drg.gradient.indices { #expect(abs(drg.gradient[i] - base.gradient[i] - split.gradient[i]) < 1e-6) }
        #expect(abs(exp(drg.logProbability) - (space.predict(logits: Self.logits).ranked.first { $0.drg == "291" }?.probability ?? 0)) < 1e-9)
        // Two-label: the base head's own log-probability gradient.
        let (two, logits) = try Self.two()
        #expect(try EvidenceTarget.base(of: "291").attributionDirection(logits: logits, in: two)
                == EvidenceTarget.base(of: "291").objective(logits: logits, in: two))
    }

    @Test func directionIsHeadTransposeTimesGradient() throws {
        let rows = 70, columns = 3   // more rows than one tile
        let values = (0..<(rows * columns)).map { Float(($0 * 37) % 11) - 5 }
        let head = DenseMatrix(rows: rows, columns: columns, values: values)
        let gradient = (0..<rows).map { Float(($0 * 13) % 7) - 3 }
        let direction = TargetObjective(logProbability: 0, gradient: gradient).direction(head: head)
        for c in 0..<columns {
            let expected = (0..<rows).reduce(Float(0)) { $0 + gradient[$1] * values[$1 * columns + c] }
            #expect(abs(direction[c] - expected) < 1e-3)
        }
    }
}

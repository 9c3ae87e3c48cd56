import Testing
@testable import DRGKit

/// The bundled FY 2026 ICD-10 tables (training/resources/make_icd10_resources.py) and code validation.
@Suite struct ICD10TableTests {
    @Test func cmTitlesAndInclusionTermsSurviveFrontCodingAndGzip() throws {
        let cm = ICD10.cm
        #expect(cm.entries.count == 98_147)
        #expect(cm.entries.filter(\.billable).count == 74_714)
        #expect(cm.entry("J96.01")?.title == "Acute respiratory failure with hypoxia")
        #expect(cm.entry("a000")?.inclusionTerms == ["Classical cholera"])
        #expect(cm.entry("A01.02")?.title == "Typhoid fever with heart involvement")
        #expect(cm.entry("A01.02")?.inclusionTerms == ["Typhoid endocarditis", "Typhoid myocarditis"])
        #expect(cm.entry("I50")?.billable == false)
        #expect(cm.entry("J96.01")?.dotted == "J96.01")
        #expect(cm.entries(withPrefix: "I50.2").map(\.code) == ["I502", "I5020", "I5021", "I5022", "I5023"])
    }

    @Test func pcsTitles() throws {
        let pcs = ICD10.pcs
        #expect(pcs.entries.count == 78_825)
        #expect(pcs.entry("0016071")?.title
                == "Bypass Cerebral Ventricle to Mastoid Sinus with Autologous Tissue Substitute, Open Approach")
        #expect(pcs.entry("0016071")?.dotted == "0016071")
    }

    @Test func badCodesSayWhatIsWrong() throws {
        #expect(try ICD10.validateDiagnosis(" j96.01") == "J9601")
        #expect(throws: ICD10CodeError.icd9("4280", .cm)) { try ICD10.validateDiagnosis("4280") }
        #expect(throws: ICD10CodeError.icd9("V4581", .cm)) { try ICD10.validateDiagnosis("V4581") }
        #expect(throws: ICD10CodeError.unknown("Q99.99", .cm)) { try ICD10.validateDiagnosis("Q99.99") }
        #expect(throws: ICD10CodeError.malformed("12", .cm)) { try ICD10.validateDiagnosis("12") }
        #expect(throws: ICD10CodeError.notBillable("I50", title: "Heart failure")) { try ICD10.validateDiagnosis("I50") }
        #expect(try ICD10.validateProcedure("02703dz") == "02703DZ")
        #expect(throws: ICD10CodeError.icd9("3961", .pcs)) { try ICD10.validateProcedure("3961") }
        #expect(throws: ICD10CodeError.malformed("02703DI", .pcs)) { try ICD10.validateProcedure("02703DI") }
    }
}

import DRGKit
import Foundation
import Testing
import TerminalUI
@testable import ReviewApp

/// The codes behind the DRG on the case screen (issue 15): each code's level and why it does not count,
/// and the CC/MCC panel's "MCC because of …" instead of class probabilities.
@Suite struct CaseCodesViewTests {
    static let codes = ShownCode.assess([
        (.principal, "I5021", 10), (.secondary, "I5023", 10), (.secondary, "E119", 10), (.secondary, "N179", 10),
        (.secondary, "4280", 9), (.procedure, "5A1955Z", 10),
    ], drg: "291")

    @Test func eachSecondaryHasItsLevelAndReason() {
        let c = Self.codes
        #expect(c.map(\.code) == ["I50.21", "I50.23", "E11.9", "N17.9", "4280", "5A1955Z"])
        #expect(c[1].level == "MCC" && !c[1].counts && c[1].reason?.hasPrefix("excluded by the principal I50.21 (PDX collection ") == true)
        #expect(c[2].level == nil && !c[2].counts && c[2].reason == nil)
        #expect(c[3].level == "CC" && c[3].counts)
        #expect(c[4].icdVersion == 9 && c[4].reason == "ICD-9: no CC/MCC attribution")
        #expect(c[5].title?.hasPrefix("Respiratory Ventilation") == true)
        #expect(ShownCode.because(c) == "CC because of N17.9 Acute kidney failure, unspecified")
        let mcc = ShownCode.assess([(.principal, "J189", 10), (.secondary, "N179", 10), (.secondary, "J9601", 10)], drg: nil)
        #expect(ShownCode.because(mcc) == "MCC because of J96.01 Acute respiratory failure with hypoxia")
        #expect(ShownCode.because(ShownCode.assess([(.secondary, "J9601", 10)], drg: nil)) == nil)
        let retired = ShownCode.assess([(.principal, "E784", 10), (.secondary, "J9601", 10)], drg: nil)
        #expect(retired[0].reason == "not an ICD-10-CM code of FY 2026: no CC/MCC attribution")
        #expect(retired[1].reason == "no FY 2026 principal diagnosis to assess against" && ShownCode.because(retired) == nil)
    }

    func driver(size: Size) throws -> ReviewDriver {
        let suggestion = CodeSuggestion(span: "hyponatremia", code: "E87.1", title: "Hypo-osmolality and hyponatremia")
        let (driver, _, _) = Sample.driver(size: size, codes: Self.codes, suggestions: [suggestion])
        try driver.press(.claimNext)
        return driver
    }

    @Test func thePanelSaysWhichCodeMakesItCCOrMCC() throws {
        let wide = try driver(size: Size(width: 160, height: 48))
        Frames.expect(wide.frame, named: "code-case-codes-160x48")
        #expect(wide.frame.text.contains("CC because of N17.9 Acute kidney failure, uns…"))
        #expect(wide.frame.text.contains("    ✗ excluded by the principal I50.21 (PDX"))
        #expect(!wide.frame.text.contains("CC/MCC class"))
        #expect(wide.frame.text.contains("Evidence suggests (confirm)") && wide.frame.text.contains("? E87.1 Hypo-osmolality and hyponatremia"))
        let small = try driver(size: Size(width: 80, height: 24))
        Frames.expect(small.frame, named: "code-case-codes-80x24")
        for size in [Size(width: 0, height: 0), Size(width: 1, height: 1)] { _ = try driver(size: size) }
    }
}

/// Evidence spans to suggested codes (pure: no store).
@Suite struct CodeSuggestionTests {
    @Test func ccMccEvidenceSpansGetSuggestedCodes() throws {
        // Sample.prediction's CC/MCC spans: "acute kidney injury", "hyponatremia".
        let suggestions = CodeSuggestion.suggest(for: Sample.prediction.evidence, excluding: [])
        #expect(suggestions == [
            CodeSuggestion(span: "acute kidney injury", code: "N17.9", title: "Acute kidney failure, unspecified"),
            CodeSuggestion(span: "hyponatremia", code: "E87.1", title: "Hypo-osmolality and hyponatremia"),
        ])
        let known = ShownCode(kind: .secondary, code: "N17.9")
        #expect(CodeSuggestion.suggest(for: Sample.prediction.evidence, excluding: [known]).map(\.code) == ["E87.1"])
    }
}

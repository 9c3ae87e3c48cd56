import Foundation
import TestSupport
import Testing
@testable import CodingStore

/// `sections.json` holds notes and what Python's `re` extracts with DRG-LLaMA's four patterns
/// (training/fixtures/store_fixtures.py); the Swift scanner must agree byte for byte.
@Suite("Brief hospital course extraction")
struct HospitalCourseTests {
    struct Case: Decodable { var note: String; var source: String; var section: String }

    static func cases() throws -> [Case] {
        try JSONDecoder().decode([Case].self, from: Data(contentsOf: Fixtures.url("sections.json")))
    }

    @Test func matchesPythonRegexOnEveryFixtureNote() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 12)
        #expect(Set(cases.map(\.source)) == Set(SectionSource.allCases.map(\.rawValue)))
        for (i, c) in cases.enumerated() {
            let (text, source) = HospitalCourseExtractor.extract(c.note)
            #expect(source.rawValue == c.source, "note \(i): pattern")
            #expect(text == c.section, "note \(i): expected \(c.section.debugDescription), got \(text.debugDescription)")
        }
    }

    @Test func pattern3IsImplementedWithoutTheStraySpaces() {
        let note = "HOSPITAL COURSE:\nwent well\nDISCHARGE INSTRUCTIONS: rest"
        #expect(HospitalCourseExtractor.extract(note).source == .pattern3)
        #expect(HospitalCourseExtractor.extract(note).text == "\nwent well\n")
    }
}

import Testing
@testable import DRGKit

/// Suggesting ICD-10-CM codes for evidence text and a code picker (`ICD10Search`).
@Suite struct ICD10SearchTests {
    var search: ICD10Search { .shared }

    func codes(_ query: String, _ limit: Int = 5) -> [String] { search.search(query, limit: limit).map(\.entry.code) }

    @Test func evidenceTextFindsTheCode() {
        #expect(codes("acute respiratory failure with hypoxia").first == "J9601")
        #expect(codes("hyponatremia").first == "E871")
        #expect(codes("acute kidney injury").contains("N179"))
    }

    @Test func typosCodePrefixesAndInclusionTerms() {
        #expect(codes("acute respiratry failure hypoxia").first == "J9601")  // one edit
        #expect(codes("J96.0", 10) == ["J9600", "J9601", "J9602"])
        let typhoid = search.search("typhoid myocarditis", limit: 1).first
        #expect(typhoid?.entry.code == "A0102" && typhoid?.matchedTerm == "Typhoid myocarditis")
        #expect(search.search("zzzzqqqq").isEmpty)
    }
}

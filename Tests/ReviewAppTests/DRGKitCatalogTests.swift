import DRGKit
import Testing
@testable import ReviewApp

/// The adapter over the real DRGKit tables and search (the picker's data).
@Suite struct DRGKitCatalogTests {
    let v43 = DRGKitCatalog(version: .v43)

    @Test func searchIsTypoTolerantAndCoversTheVersion() {
        #expect(v43.search("hart failre mcc", limit: 5).first?.code == "291")
        #expect(v43.search("291", limit: 5).first?.code == "291")
        #expect(v43.search("", limit: 5).isEmpty)
        #expect(DRGTable.table(for: .v43).entries.allSatisfy { v43.entry($0.code) != nil })
    }

    /// Issue 16: the picker finds DRGs by code prefix, and "mcc" means with MCC.
    @Test func codePrefixAndWordsRankAsACoderMeans() {
        #expect(v43.search("29", limit: 4).map(\.code).contains(["291", "292", "293"]))
        #expect(v43.search("29", limit: 50).allSatisfy { $0.code.hasPrefix("29") })
        #expect(v43.search("00", limit: 2).map(\.code) == ["001", "002"])       // three-digit codes as coders read them
        let sepsis = v43.search("septicemia mcc", limit: 5).map(\.code)
        #expect(Set(sepsis.prefix(2)) == ["870", "871"], "got \(sepsis)")
        #expect(v43.search("septicemia without mcc", limit: 5).first?.code == "872")
    }

    @Test func entriesCarryWhatTheScreensShow() throws {
        let e = try #require(v43.entry("291"))
        #expect(e.mdc == "05")
        #expect(e.type == "MED")
        #expect(e.weight != nil)
        #expect(e.ccMccClass == "with MCC")
        #expect(e.family == "three-way")
        #expect(v43.siblings(of: "291").map(\.code) == ["291", "292", "293"])
        #expect(v43.payment(forWeight: 1) == Payment.defaultBaseRate)
    }

    @Test func v34ShowsTheCurrentWeightWhereTheDRGIsUnchanged() throws {
        let v34 = DRGKitCatalog(version: .v34)
        #expect(DRGTable.table(for: .v34).entry("291")?.weight == nil)
        #expect(v34.entry("291")?.weight == DRGTable.table(for: .v43).entry("291")?.weight)
    }
}

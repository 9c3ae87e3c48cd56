import Testing
@testable import DRGKit

@Suite struct SearchTests {
    let v43 = DRGSearch(table: .table(for: .v43))

    func top(_ query: String, _ search: DRGSearch? = nil) -> String? {
        (search ?? v43).search(query, limit: 5).first?.entry.code
    }

    @Test(arguments: [
        ("hart failure mcc", "291"),
        ("sepsis w mv", "870"),
        ("heart failure w cc", "292"),
        ("chf without cc/mcc", "293"),
        ("copd w mcc", "190"),
        ("uti w mcc", "689"),
        ("transient ischemia", "069"),
        ("septicemia wo mv mcc", "871"),
        ("simple pneumonia w mcc", "193"),
        ("ami discharged alive w mcc", "280"),
        ("gi hemorrhage w mcc", "377"),
        ("291", "291"),
    ])
    func findsTheExpectedDRGFirst(query: String, code: String) {
        #expect(top(query) == code, "\(query): \(v43.search(query, limit: 3).map { "\($0.entry.code) \($0.entry.description)" })")
    }

    @Test func toleratesTypos() {
        #expect(top("hert faliure mcc") == "291")
        #expect(top("pnuemonia w mcc") == "193")
    }

    @Test func emptyAndNonsenseQueries() {
        #expect(v43.search("").isEmpty)
        #expect(v43.search("   ").isEmpty)
        #expect(v43.search("qqqqzzzz").isEmpty)
        #expect(v43.search("heart", limit: 3).count == 3)
    }

    @Test func worksOnV34() {
        #expect(top("sepsis w mv", DRGSearch(table: .table(for: .v34))) == "870")
        #expect(top("hart failure mcc", DRGSearch(table: .table(for: .v34))) == "291")
    }

    @Test func editDistance() {
        #expect(DRGSearch.editDistance("hart", "heart", limit: 1) == 1)
        #expect(DRGSearch.editDistance("faliure", "failure", limit: 1) == 1)
        #expect(DRGSearch.editDistance("abc", "xyz", limit: 1) == nil)
    }
}

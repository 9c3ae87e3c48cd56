import DRGKit

/// `DRGCatalog` over DRGKit: one version's table, its typo-tolerant `DRGSearch`, and `Payment`.
///
/// v34 (what DRG-LLaMA checkpoints predict) publishes no weights; for a v34 DRG whose code and base
/// DRG are the same in v43, the v43 weight is shown instead (and the payment from it), which is what
/// a coder would be paid today. Other v34 DRGs show no weight.
public struct DRGKitCatalog: DRGCatalog {
    public let table: DRGTable
    public let search: DRGSearch
    public let payment: Payment
    private let current: DRGTable

    public init(version: DRGVersion, payment: Payment = Payment()) {
        table = DRGTable.table(for: version)
        search = DRGSearch(table: table)
        self.payment = payment
        current = DRGTable.table(for: .v43)
    }

    public var versionName: String { table.version.title }

    public func entry(_ code: String) -> CatalogEntry? { table.entry(code).map(convert) }

    /// A code prefix ("29") lists the DRGs whose three-digit code starts with it, in code order; words
    /// go to DRGKit's typo-tolerant search, and a title that says "WITHOUT MCC" (or "WITHOUT CC") goes
    /// after the others when the query asks for "mcc" ("cc") without saying "without": a coder who
    /// types "septicemia mcc" means 871 (or 870), not 872.
    public func search(_ query: String, limit: Int) -> [CatalogEntry] {
        let q = query.trimmingCharacters(in: .whitespaces)
        if !q.isEmpty, q.count <= 3, q.allSatisfy(\.isNumber) {
            let padded = table.entries.map { (Self.threeDigits($0.code), $0) }
            return padded.filter { $0.0.hasPrefix(q) }.sorted { $0.0 < $1.0 }.prefix(limit).map { convert($0.1) }
        }
        let found = search.search(query, limit: max(limit, 1_000)).map { convert($0.entry) }   // all matches: re-ranked below
        return Array(Self.byCoderIntent(found, query: q).prefix(limit))
    }

    /// Re-ranks DRGKit's matches the way a coder means the query: titles holding every content word
    /// (a prefix of a title word) first, then the typo-tolerant rest; within each, the CC/MCC words of
    /// the query decide ("mcc": WITH MCC first, WITHOUT MCC last; "without mcc": the other way round).
    static func byCoderIntent(_ found: [CatalogEntry], query: String) -> [CatalogEntry] {
        let words = query.lowercased().split(separator: " ").map(String.init)
        let negated = words.contains { ["without", "w/o", "wo", "no"].contains($0) }
        let qualifiers: Set<String> = ["with", "without", "w", "w/o", "wo", "no", "mcc", "cc", "and", "or"]
        let content = words.filter { !qualifiers.contains($0) }
        let level = words.contains("mcc") ? "MCC" : words.contains("cc") ? "CC" : nil
        func titleWords(_ e: CatalogEntry) -> [String] { e.description.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init) }
        func strong(_ e: CatalogEntry) -> Bool { let t = titleWords(e); return content.allSatisfy { w in t.contains { $0.hasPrefix(w) } } }
        func intent(_ e: CatalogEntry) -> Int {   // 0 wanted, 1 neutral, 2 the opposite
            guard let level else { return 1 }
            let without = e.description.contains("WITHOUT " + level) || e.description.contains("WITHOUT CC/MCC")
            let with = e.description.contains("WITH " + level) || (level == "CC" && e.description.contains("WITH CC"))
            if without { return negated ? 0 : 2 }
            if with { return negated ? 2 : 0 }
            return 1
        }
        return found.enumerated().sorted { a, b in
            let ka = (strong(a.element) ? 0 : 1, intent(a.element), a.offset), kb = (strong(b.element) ? 0 : 1, intent(b.element), b.offset)
            return ka < kb
        }.map(\.element)
    }

    /// "1" → "001": codes as coders type and read them.
    static func threeDigits(_ code: String) -> String { String(repeating: "0", count: max(0, 3 - code.count)) + code }

    public func siblings(of code: String) -> [CatalogEntry] {
        (table.entry(code)?.siblings ?? []).compactMap { table.entry($0) }.map(convert)
    }

    public func payment(forWeight weight: Double) -> Double? { payment.amount(weight: weight) }

    func convert(_ e: DRGEntry) -> CatalogEntry {
        var weight = e.weight
        if weight == nil, table.version != .v43, let now = current.entry(e.code), now.baseDRG == e.baseDRG { weight = now.weight }
        return CatalogEntry(code: e.code, description: e.description, mdc: e.mdc, type: e.type.isEmpty ? nil : e.type,
                            weight: weight, base: e.baseDRG, ccMccClass: e.ccMccClass.label, family: e.family.rawValue)
    }
}

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

    public func search(_ query: String, limit: Int) -> [CatalogEntry] {
        search.search(query, limit: limit).map { convert($0.entry) }
    }

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

import Foundation

/// Every MS-DRG of one version, dissected into base DRGs, with lookups by code and by base.
///
///     let table = DRGTable.table(for: .v34)
///     table.entries.count        // 757
///     table.bases.count          // 340
///     table.entry("1")?.code     // "001" (codes are matched with or without leading zeros)
///
/// Built once per version from the bundled resources (see docs/DRGKIT.md) and shared: a
/// `DRGTable` is an immutable value, safe to pass between threads. It does not group claims:
/// it knows the titles, numbers and splits of DRGs, not the ICD-10 logic that assigns them.
public struct DRGTable: Sendable {
    public let version: DRGVersion
    /// Every DRG, by ascending code.
    public let entries: [DRGEntry]
    /// Every base DRG, by index.
    public let bases: [BaseDRG]
    private let position: [String: Int]
    private let baseByName: [String: Int]

    /// Assembles a table from entries whose base fields are filled (``DRGTable/load(_:)`` does that).
    init(version: DRGVersion, entries: [DRGEntry]) {
        self.version = version
        self.entries = entries.sorted { $0.code < $1.code }
        var position: [String: Int] = [:]
        for (i, entry) in self.entries.enumerated() { position[entry.code] = i }
        self.position = position
        var members: [Int: [DRGEntry]] = [:]
        for entry in self.entries { members[entry.baseIndex, default: []].append(entry) }
        bases = members.keys.sorted().map { index in
            let group = members[index] ?? []
            return BaseDRG(index: index, name: group.first?.baseDRG ?? "", family: group.first?.family ?? .noSplit,
                           codes: group.map(\.code), classes: group.map(\.ccMccClass))
        }
        var baseByName: [String: Int] = [:]
        for base in bases { baseByName[DRGTable.key(base.name)] = base.index }
        self.baseByName = baseByName
    }

    /// The DRG with `code` ("291", "001", "1", "DRG 291"); nil if this version has none.
    public func entry(_ code: String) -> DRGEntry? {
        DRGTable.normalizedCode(code).flatMap { position[$0] }.map { entries[$0] }
    }

    /// The base DRG with this index.
    public func base(index: Int) -> BaseDRG? {
        bases.indices.contains(index) && bases[index].index == index ? bases[index] : nil
    }

    /// The base DRG with this name (case and surrounding spaces ignored).
    public func base(named name: String) -> BaseDRG? {
        baseByName[DRGTable.key(name)].flatMap(base(index:))
    }

    /// The base DRG of a DRG code.
    public func base(of code: String) -> BaseDRG? {
        entry(code).flatMap { base(index: $0.baseIndex) }
    }

    /// The DRG that a base index and a CC/MCC class name, after DRG-LLaMA's `map_rule`
    /// (``SplitFamily/resolve(_:valid:)``): any class maps to some DRG of the base.
    public func drg(base index: Int, ccMcc: CCMCCClass) -> DRGEntry? {
        guard let base = base(index: index),
              let resolved = base.family.resolve(ccMcc, valid: base.validClasses),
              let code = base.code(for: resolved) else { return nil }
        return entry(code)
    }

    /// Number of base DRGs in each split family.
    public var familyCounts: [SplitFamily: Int] {
        bases.reduce(into: [:]) { $0[$1.family, default: 0] += 1 }
    }

    /// "291" → "291", "1" → "001", "DRG 070" → "070"; nil unless 1-3 digits remain.
    public static func normalizedCode(_ text: String) -> String? {
        var digits = text.trimmingCharacters(in: .whitespaces).uppercased()
        if digits.hasPrefix("DRG") { digits = String(digits.dropFirst(3)).trimmingCharacters(in: .whitespaces) }
        guard (1...3).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            return nil
        }
        return String(repeating: "0", count: 3 - digits.count) + digits
    }

    static func key(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).uppercased()
    }
}

extension DRGTable: CustomStringConvertible {
    /// "MS-DRG v43 (FY 2026): 772 DRGs, 347 base DRGs" (short, so test failures stay readable).
    public var description: String { "\(version.title): \(entries.count) DRGs, \(bases.count) base DRGs" }
}

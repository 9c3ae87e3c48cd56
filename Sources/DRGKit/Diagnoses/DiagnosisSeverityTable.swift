import Foundation

/// An ICD-10-CM code that is a CC or an MCC when it is a secondary diagnosis (MS-DRG v43, FY 2026).
public struct DiagnosisSeverity: Sendable, Hashable {
    public enum Level: String, Sendable, Codable { case cc = "CC", mcc = "MCC" }

    /// Code without its dot, upper case: "I5021".
    public var code: String
    public var level: Level
    /// The Table 6K PDX collection that cancels it ("0002"), nil for "No Excl".
    public var pdxCollection: String?
    /// A CC/MCC only when the patient is discharged alive (Table 6K part 2: cardiac arrest, shock ...).
    public var aliveOnly: Bool
    public var description: String
}

/// The FY 2026 CC and MCC lists with their exclusions (CMS Tables 6I, 6J, 6K), for what-if work:
/// "would this secondary diagnosis still count as an MCC with that principal diagnosis?"
///
///     let severity = DiagnosisSeverityTable.v43
///     severity.severity(of: "I50.21")?.level                        // .mcc
///     severity.level(ofSecondary: "I5021", principal: "I110")       // nil: excluded by the PDX
///
/// The three CMS rules, applied by ``level(ofSecondary:principal:drg:dischargedAlive:)``:
/// 1. *PDX exclusion* (6K part 1): a CC/MCC whose PDX collection holds the principal diagnosis is a non-CC;
/// 2. *discharged alive* (6K part 2): some codes count only if the patient left alive;
/// 3. *DRG severity exclusions* (6K part 3): in listed DRGs (e.g. 082-084) listed codes do not count.
/// It is not a grouper: it does not pick the DRG or apply the MDC/procedure logic. Parsed once,
/// on first use; an immutable value.
public struct DiagnosisSeverityTable: Sendable {
    public let entries: [DiagnosisSeverity]
    private let byCode: [String: Int]
    private let pdxIndex: [String: Int]
    private let collections: [String: [ClosedRange<Int>]]
    let drgExclusions: [(drgs: ClosedRange<Int>, title: String, codes: Set<String>)]

    /// The v43 table (bundled resources v43/cc_mcc.tsv, cc_exclusion_*.{tsv,txt}, cc_severity_exclusions.tsv).
    public static var v43: DiagnosisSeverityTable {
        switch BundledSeverity.v43 {
        case .success(let table): return table
        case .failure(let error): preconditionFailure("\(error)")  // a packaging bug, not bad input
        }
    }

    /// The CC/MCC entry of an ICD-10-CM code (dots, case and spaces ignored); nil for a non-CC.
    public func severity(of code: String) -> DiagnosisSeverity? {
        byCode[DiagnosisSeverityTable.normalized(code)].map { entries[$0] }
    }

    /// Whether principal diagnosis `principal` cancels `secondary`'s CC/MCC status (6K part 1).
    public func isExcluded(secondary: String, principal: String) -> Bool {
        guard let collection = severity(of: secondary)?.pdxCollection,
              let index = pdxIndex[DiagnosisSeverityTable.normalized(principal)] else { return false }
        return collections[collection]?.contains { $0.contains(index) } ?? false
    }

    /// The level a secondary diagnosis has for this stay after all three exclusion rules; nil
    /// when it counts as a non-CC. `drg` (a code) enables rule 3; without it rule 3 is skipped.
    public func level(ofSecondary secondary: String, principal: String, drg: String? = nil,
                      dischargedAlive: Bool = true) -> DiagnosisSeverity.Level? {
        guard let entry = severity(of: secondary) else { return nil }
        if isExcluded(secondary: secondary, principal: principal) { return nil }
        if entry.aliveOnly && !dischargedAlive { return nil }
        if let drg = drg.flatMap(DRGTable.normalizedCode).flatMap({ Int($0) }),
           drgExclusions.contains(where: { $0.drgs.contains(drg) && $0.codes.contains(entry.code) }) {
            return nil
        }
        return entry.level
    }

    static func normalized(_ code: String) -> String {
        code.uppercased().filter { $0 != "." && !$0.isWhitespace }
    }

    /// Parses the bundled v43 files.
    static func load() throws -> DiagnosisSeverityTable {
        let list = try ResourceFile("v43/cc_mcc.tsv")
        var entries: [DiagnosisSeverity] = []
        var previous: [Unicode.Scalar] = []
        for (line, row) in list.rows(separator: "\t", skipHeader: false).enumerated() {
            guard row.count == 6, let level = DiagnosisSeverity.Level(rawValue: String(row[1])),
                  let shared = Int(row[4]), shared <= previous.count else {
                throw DRGKitError.malformedResource(list.path, line: line + 1, reason: "expected code, level, collection, alive, shared, suffix")
            }
            let scalars = Array(previous[..<shared]) + Array(row[5].unicodeScalars)  // front coding
            previous = scalars
            var description = ""
            description.unicodeScalars.append(contentsOf: scalars)
            entries.append(DiagnosisSeverity(code: String(row[0]), level: level,
                                             pdxCollection: row[2].isEmpty ? nil : String(row[2]),
                                             aliveOnly: row[3] == "Y", description: description))
        }
        var byCode: [String: Int] = [:]
        for (i, entry) in entries.enumerated() { byCode[entry.code] = i }

        let codes = try ResourceFile("v43/cc_exclusion_pdx_codes.txt")
        var pdxIndex: [String: Int] = [:]
        for (i, code) in codes.lines.enumerated() { pdxIndex[String(code)] = i }

        let collectionFile = try ResourceFile("v43/cc_exclusion_collections.tsv")
        var collections: [String: [ClosedRange<Int>]] = [:]
        for (line, row) in collectionFile.rows(separator: "\t", skipHeader: false).enumerated() {
            var ranges: [ClosedRange<Int>] = []
            for run in row.count == 2 ? row[1].split(separator: ",") : [] {
                let ends = run.split(separator: "-").compactMap { Int($0) }
                guard let low = ends.first, let high = ends.last, low <= high, high < pdxIndex.count else {
                    throw DRGKitError.malformedResource(collectionFile.path, line: line + 1, reason: "bad index run '\(run)'")
                }
                ranges.append(low...high)
            }
            guard !ranges.isEmpty else {
                throw DRGKitError.malformedResource(collectionFile.path, line: line + 1, reason: "expected collection, runs")
            }
            collections[String(row[0])] = ranges
        }

        let drgFile = try ResourceFile("v43/cc_severity_exclusions.tsv")
        var drgExclusions: [(drgs: ClosedRange<Int>, title: String, codes: Set<String>)] = []
        for (line, row) in drgFile.rows(separator: "\t", skipHeader: false).enumerated() {
            guard row.count == 4, let first = Int(row[0]), let last = Int(row[1]), first <= last else {
                throw DRGKitError.malformedResource(drgFile.path, line: line + 1, reason: "expected first, last, title, codes")
            }
            drgExclusions.append((first...last, String(row[2]), Set(row[3].split(separator: " ").map(String.init))))
        }
        return DiagnosisSeverityTable(entries: entries, byCode: byCode, pdxIndex: pdxIndex,
                                      collections: collections, drgExclusions: drgExclusions)
    }
}

private enum BundledSeverity {
    static let v43 = Result { try DiagnosisSeverityTable.load() }
}

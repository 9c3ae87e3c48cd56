import Foundation

/// One ICD-10-CM or ICD-10-PCS code of the bundled tables.
public struct ICD10Entry: Sendable, Hashable {
    /// Without its dot, upper case: "J9601", "02703DZ".
    public var code: String
    public var system: ICD10System
    public var title: String
    /// CM: a code that may be reported (a leaf); false for a category or subcategory header ("I50").
    /// PCS: always true.
    public var billable: Bool
    /// CM inclusion terms listed under this code in the tabular list (may be empty).
    public var inclusionTerms: [String]

    /// "J96.01" for CM (a dot after the third character), the code itself for PCS.
    public var dotted: String { ICD10.dotted(code, system: system) }
}

/// The two ICD-10 code systems drgcoder knows.
public enum ICD10System: String, Sendable, Codable {
    case cm = "ICD-10-CM", pcs = "ICD-10-PCS"
}

/// Why a code was refused; every case prints as one line naming the code.
public enum ICD10CodeError: Error, Equatable, CustomStringConvertible {
    case malformed(String, ICD10System)
    case icd9(String, ICD10System)
    case unknown(String, ICD10System)
    case notBillable(String, title: String)

    public var description: String {
        switch self {
        case .malformed(let code, let system):
            return "'\(code)' is not a well-formed \(system.rawValue) code"
                + (system == .cm ? " (a letter, a digit, then 1-5 letters or digits, e.g. J96.01)"
                                 : " (7 letters or digits without I or O, e.g. 02703DZ)")
        case .icd9(let code, let system):
            return "'\(code)' looks like an ICD-9-CM \(system == .cm ? "diagnosis" : "procedure") code; \(system.rawValue) is needed"
        case .unknown(let code, let system):
            return "'\(code)' is not an \(system.rawValue) code of FY 2026"
        case .notBillable(let code, let title):
            return "'\(code)' (\(title)) is a category, not a billable ICD-10-CM code; code to the highest specificity"
        }
    }
}

/// The FY 2026 ICD-10-CM and ICD-10-PCS code tables: titles, CM inclusion terms, validation.
///
///     let cm = ICD10.cm
///     cm.entry("J96.01")?.title          // "Acute respiratory failure with hypoxia"
///     try cm.validateDiagnosis("4280")   // throws .icd9: ICD-9-CM heart failure
///
/// Sources (training/resources/make_icd10_resources.py, docs/DRGKIT.md): CM from the CMS/NCHS April 2026
/// tabular list (PyPI simple-icd-10-cm); PCS titles from older CMS order files filtered by the FY 2026
/// Medicare Code Editor, so a PCS code new in FY 2026 has no title here: ``validateProcedure(_:)`` accepts
/// any well-formed PCS code and ``entry(_:)`` returns nil for it. Parsed once, on first use; immutable.
public struct ICD10Table: Sendable {
    public let system: ICD10System
    /// Every code, ascending.
    public let entries: [ICD10Entry]
    private let position: [String: Int]

    init(system: ICD10System, entries: [ICD10Entry]) {
        self.system = system
        self.entries = entries
        var position: [String: Int] = [:]
        for (i, entry) in entries.enumerated() { position[entry.code] = i }
        self.position = position
    }

    /// The entry of a code (dots, case and spaces ignored); nil if the table lacks it.
    public func entry(_ code: String) -> ICD10Entry? {
        position[ICD10.normalized(code)].map { entries[$0] }
    }

    /// The codes starting with `prefix` (normalized), ascending; a binary search then a scan.
    public func entries(withPrefix prefix: String, limit: Int = .max) -> ArraySlice<ICD10Entry> {
        let key = ICD10.normalized(prefix)
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].code < key { low = mid + 1 } else { high = mid }
        }
        var end = low
        while end < entries.count, end - low < limit, entries[end].code.hasPrefix(key) { end += 1 }
        return entries[low..<end]
    }

    /// Parses a bundled table (`icd10/icd10cm.tsv.gz` or `icd10/icd10pcs.tsv.gz`).
    static func load(_ system: ICD10System) throws -> ICD10Table {
        let file = try ResourceFile(system == .cm ? "icd10/icd10cm.tsv.gz" : "icd10/icd10pcs.tsv.gz")
        let (columns, sharedField) = system == .cm ? (5, 2) : (3, 1)  // suffix follows `shared`
        var entries: [ICD10Entry] = []
        entries.reserveCapacity(file.lines.count)
        var previous: [Unicode.Scalar] = []
        for (line, row) in file.rows(separator: "\t", skipHeader: false).enumerated() {
            guard row.count == columns, let shared = Int(row[sharedField]), shared <= previous.count else {
                throw DRGKitError.malformedResource(file.path, line: line + 1, reason: "expected \(columns) fields")
            }
            let scalars = Array(previous[..<shared]) + Array(row[sharedField + 1].unicodeScalars)
            previous = scalars
            var title = ""
            title.unicodeScalars.append(contentsOf: scalars)
            let terms = columns == 5 && !row[4].isEmpty ? row[4].components(separatedBy: " | ") : []
            entries.append(ICD10Entry(code: String(row[0]), system: system, title: title,
                                      billable: columns == 3 || row[1] == "B", inclusionTerms: terms))
        }
        return ICD10Table(system: system, entries: entries)
    }
}

/// Entry points for the bundled FY 2026 tables and code validation.
public enum ICD10 {
    /// ICD-10-CM, FY 2026 (April 2026 update).
    public static var cm: ICD10Table { bundled(BundledICD10.cm) }
    /// ICD-10-PCS titles (see ``ICD10Table``).
    public static var pcs: ICD10Table { bundled(BundledICD10.pcs) }

    private static func bundled(_ result: Result<ICD10Table, Error>) -> ICD10Table {
        switch result {
        case .success(let table): return table
        case .failure(let error): preconditionFailure("\(error)")  // a packaging bug, not bad input
        }
    }

    /// "j96.01 " → "J9601".
    public static func normalized(_ code: String) -> String {
        code.uppercased().filter { $0 != "." && !$0.isWhitespace }
    }

    /// "J9601" → "J96.01" (CM, more than three characters); PCS codes have no dot.
    public static func dotted(_ code: String, system: ICD10System = .cm) -> String {
        guard system == .cm, code.count > 3 else { return code }
        return String(code.prefix(3)) + "." + String(code.dropFirst(3))
    }

    /// A reportable FY 2026 ICD-10-CM diagnosis code, normalized ("J9601"), or the reason it is not one.
    public static func validateDiagnosis(_ raw: String) throws -> String {
        let code = normalized(raw)
        if let entry = cm.entry(code) {
            guard entry.billable else { throw ICD10CodeError.notBillable(raw, title: entry.title) }
            return code
        }
        if looksLikeICD9Diagnosis(code) { throw ICD10CodeError.icd9(raw, .cm) }
        let chars = Array(code.unicodeScalars)
        let wellFormed = (3...7).contains(chars.count) && chars.allSatisfy { $0.isASCII && CharacterSet.alphanumerics.contains($0) }
            && CharacterSet.uppercaseLetters.contains(chars[0]) && CharacterSet.decimalDigits.contains(chars[1])
        throw wellFormed ? ICD10CodeError.unknown(raw, .cm) : ICD10CodeError.malformed(raw, .cm)
    }

    /// A well-formed ICD-10-PCS code, normalized, or the reason it is not one. Codes without a
    /// bundled title are accepted (the FY 2026 additions are missing from the bundled titles).
    public static func validateProcedure(_ raw: String) throws -> String {
        let code = normalized(raw)
        if code.count == 7, code.allSatisfy({ ICD10.pcsCharacters.contains($0) }) { return code }
        if (2...4).contains(code.count), code.allSatisfy(\.isNumber), code.allSatisfy(\.isASCII) {
            throw ICD10CodeError.icd9(raw, .pcs)
        }
        throw ICD10CodeError.malformed(raw, .pcs)
    }

    /// ICD-9-CM diagnosis shapes: 3-5 digits (428.0), V + 2-4 digits (V45.81), E + 3-4 digits
    /// (E849.0). Checked only after the ICD-10-CM table: "V45" style ICD-10 headers are found there first.
    public static func looksLikeICD9Diagnosis(_ code: String) -> Bool {
        let rest = code.dropFirst()
        guard code.allSatisfy(\.isASCII) else { return false }
        if code.allSatisfy(\.isNumber) { return (3...5).contains(code.count) }
        if code.first == "V" { return (2...4).contains(rest.count) && rest.allSatisfy(\.isNumber) }
        if code.first == "E" { return (3...4).contains(rest.count) && rest.allSatisfy(\.isNumber) }
        return false
    }

    static let pcsCharacters = Set("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
}

private enum BundledICD10 {
    static let cm = Result { try ICD10Table.load(.cm) }
    static let pcs = Result { try ICD10Table.load(.pcs) }
}

import Foundation

/// The label space of a CAML run: the DRGs of a `rules/*DRG_RULE*.csv` file, as
/// `data_utils.load_rule` of JHLiu7/EarlyDRGPrediction makes it, with their relative weights.
///
/// Two systems, never mixed:
/// - **MS-DRG** (`MSDRG_RULE13.csv`: `MS-DRG,DRG_CODE,MDC,TYPE,DESCRIPTION,WEIGHT`): the rows whose MDC
///   is not `15` (newborns) and whose MS-DRG is not 945, 946, 949, 950, 998 or 999 (rehabilitation,
///   aftercare, ungroupable); the repository's FY2012–14 files give 738 labels.
/// - **APR-DRG** (`APRDRG_RULE13.csv`: `APR-DRG,SEVERITY,DRG_CODE,MDC,DESCRIPTION,WEIGHT`), 3M's
///   All Patient Refined DRGs: one label per base APR-DRG × severity of illness (1 minor, 2 moderate,
///   3 major, 4 extreme), `DRG_CODE = 10 × base + severity`; rows of MDC 15 and APR-DRGs 860 and 863
///   left out, 1,136 labels. An APR-DRG is not an MS-DRG: `194-4` is APR-DRG 194 (heart failure) at
///   severity 4, and its weight is an APR-DRG weight.
///
/// Label i is the i-th `DRG_CODE` in increasing numeric order (`sorted(...unique())` of integers).
/// Which system a file is, `load_rule` decides by `'MS' in path` / `'APR' in path` on the whole path;
/// here by the file's header, which cannot be fooled by a folder name. A weight is the last row's for
/// its `DRG_CODE` (`d2w` is filled row by row).
///
/// Example:
/// ```swift
/// let rules = try CAMLLabelRules.load(url: dir.appendingPathComponent("rules/MSDRG_RULE13.csv"))
/// rules.labels[0]    // CAMLLabel(drgCode: 1, code: "001", ..., weight: 26.0295)
/// ```
public struct CAMLLabelRules: Sendable {
    public enum System: String, Sendable, Codable {
        case msDRG = "MS-DRG"
        case aprDRG = "APR-DRG"
    }

    public struct Label: Sendable, Equatable {
        /// `DRG_CODE` as written (`291`; APR `1944`).
        public var drgCode: Int
        /// The code as shown, three digits as CMS and 3M write them: MS-DRG `069` (DRG_CODE 69);
        /// APR-DRG `194-4` (base-severity, base also three digits: `005-4`).
        public var code: String
        public var description: String
        public var mdc: String
        public var weight: Double
        /// APR-DRG: the base APR-DRG and its severity of illness (1–4); nil for MS-DRG.
        public var aprBase: Int?
        public var severity: Int?
    }

    public let system: System
    public let labels: [Label]
    public let path: String

    /// Names of the APR-DRG severity of illness levels.
    public static let severityNames = [1: "minor", 2: "moderate", 3: "major", 4: "extreme"]
    /// `load_rule`'s exclusions besides MDC 15.
    public static let excludedMSDRGs: Set<Int> = [945, 946, 949, 950, 998, 999]
    public static let excludedAPRDRGs: Set<Int> = [860, 863]

    public static func load(url: URL) throws -> CAMLLabelRules {
        func fail(_ reason: String) -> CAMLError { CAMLError(path: url.path, reason: reason) }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw fail("cannot read: \((error as NSError).localizedDescription)")
        }
        let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        guard let headerLine = lines.first else { throw fail("empty rules file") }
        guard let headerFields = fields(of: headerLine) else { throw fail("line 1: a quoted field is not closed") }
        let header = headerFields.map { $0.trimmingCharacters(in: .whitespaces) }
        let system: System
        if header.contains("MS-DRG") { system = .msDRG } else if header.contains("APR-DRG") { system = .aprDRG } else {
            throw fail("neither an MS-DRG nor an APR-DRG rules file (no MS-DRG or APR-DRG column)")
        }
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else { throw fail("no \(name) column") }
            return index
        }
        let drgColumn = try column(system.rawValue), codeColumn = try column("DRG_CODE"), mdcColumn = try column("MDC")
        let descriptionColumn = try column("DESCRIPTION"), weightColumn = try column("WEIGHT")
        let severityColumn = system == .aprDRG ? try column("SEVERITY") : nil
        var byCode: [Int: Label] = [:]
        var kept: Set<Int> = []
        for (offset, line) in lines.dropFirst().enumerated() {
            let number = offset + 2
            guard let row = fields(of: line) else { throw fail("line \(number): a quoted field is not closed") }
            guard row.count == header.count else { throw fail("line \(number) has \(row.count) fields, the header \(header.count)") }
            guard let drg = Int(row[drgColumn]), let code = Int(row[codeColumn]) else {
                throw fail("line \(number): \(system.rawValue) or DRG_CODE is not an integer")
            }
            guard let weight = Double(row[weightColumn]), weight.isFinite else { throw fail("line \(number): WEIGHT is not a number") }
            var label = Label(drgCode: code, code: Self.threeDigits(code), description: row[descriptionColumn], mdc: row[mdcColumn], weight: weight)
            if let severityColumn {
                guard let severity = Int(row[severityColumn]) else { throw fail("line \(number): SEVERITY is not an integer") }
                label.aprBase = drg; label.severity = severity
                label.code = "\(Self.threeDigits(drg))-\(severity)"
            }
            byCode[code] = label       // d2w: the last row of a code wins
            let excluded = system == .msDRG ? excludedMSDRGs : excludedAPRDRGs
            if label.mdc != "15", !excluded.contains(drg) { kept.insert(code) }
        }
        guard !kept.isEmpty else { throw fail("no DRG left after load_rule's exclusions") }
        return CAMLLabelRules(system: system, labels: kept.sorted().compactMap { byCode[$0] }, path: url.path)
    }

    /// A DRG number as the tables write it: `69` → `"069"` (the rules files store integers, so pandas
    /// dropped the zeros the codes carry everywhere else: DRGKit's tables, MIMIC `drgcodes`, the screens).
    public static func threeDigits(_ number: Int) -> String {
        let digits = String(number)
        return digits.count >= 3 ? digits : String(repeating: "0", count: 3 - digits.count) + digits
    }

    /// One line of a CSV with `"`-quoted fields (`""` inside is a quote); no field spans lines. Nil when
    /// a quote is not closed.
    static func fields(of line: Substring) -> [String]? {
        var fields: [String] = [], field = "", quoted = false, index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex, line[next] == "\"" { field.append("\""); index = next } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { fields.append(field); field = "" } else { field.append(c) }
            index = line.index(after: index)
        }
        guard !quoted else { return nil }
        fields.append(field)
        return fields
    }
}

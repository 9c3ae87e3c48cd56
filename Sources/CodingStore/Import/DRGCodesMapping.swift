import DRGKit
import Foundation

/// Maps MIMIC-IV `drgcodes.csv` to MS-DRG v34 codes per admission, as DRG-LLaMA's `map_drg` did
/// (`data/MIMIC_Preprocessing.py`):
/// 1. keep rows whose `drg_type` is `HCFA` (the MS-DRGs; APR rows are another grouper);
/// 2. normalise the description: `W/O`→`WITHOUT`, ` W `→` WITH `, `&`→`AND`, drop `,`,
///    ` CATH `→` CATHETERIZATION `, ` PROC `→` PROCEDURES ` (in that order, every occurrence);
/// 3. if the result is a v34 description (`DRG_34.tsv`), take its code; otherwise look the result up
///    in `DRG34_Mapping.csv` (`raw_description` → `DRG_34_description`) and take that description's
///    code; otherwise the admission has no v34 DRG (DRG-LLaMA dropped those; we import the note
///    without a final DRG and count it).
/// Codes are three digits ("001"). When an admission has several HCFA rows, the first one wins and
/// the disagreement is counted.
///
/// APR rows (3M's APR-DRG: `drg_code` base, `drg_severity` 1–4) give the admission's final APR-DRG
/// (`194-4`, stored as `final_apr_drg`, never as an MS-DRG), as `getAPR` of JHLiu7/EarlyDRGPrediction
/// reads them: of one base's rows the highest severity is kept, and an admission with two different
/// bases is left without one (counted). Rows without a severity are counted and skipped.
public struct DRGCodesMapping: Sendable {
    /// hadm_id → v34 DRG code.
    public var byAdmission: [String: String]
    public var hcfaRows = 0
    public var unmappedRows = 0
    public var conflictingAdmissions = 0
    /// hadm_id → final APR-DRG ("194-4").
    public var aprByAdmission: [String: String] = [:]
    public var aprRows = 0
    /// APR rows without a base code or a severity 1–4.
    public var aprRowsWithoutSeverity = 0
    /// Admissions with APR rows of two different bases (left without an APR-DRG).
    public var aprConflictingAdmissions = 0
    /// Rows that could not be read (bad CSV), as "line N: reason".
    public var badRows: [String] = []

    /// Reads `drgcodes.csv` (columns include hadm_id, drg_type, description).
    public static func load(drgcodes url: URL) throws -> DRGCodesMapping {
        let table = try V34Descriptions.load()
        let reader = try CSVStreamReader(url: url)
        guard case .success(let header)? = reader.next() else { throw StoreError.invalid("\(url.lastPathComponent) has no header line") }
        guard let hadm = header.fields.firstIndex(of: "hadm_id"), let type = header.fields.firstIndex(of: "drg_type"),
              let description = header.fields.firstIndex(of: "description") else {
            throw StoreError.invalid("\(url.lastPathComponent) needs the columns hadm_id, drg_type and description")
        }
        var mapping = DRGCodesMapping(byAdmission: [:])
        let code = header.fields.firstIndex(of: "drg_code"), severity = header.fields.firstIndex(of: "drg_severity")
        var aprConflicts: Set<String> = []
        while let result = reader.next() {
            switch result {
            case .failure(let problem): mapping.badRows.append("line \(problem.line): \(problem.reason)")
            case .success(let record):
                guard record.fields.count == header.fields.count else {
                    mapping.badRows.append("line \(record.line): expected \(header.fields.count) fields, found \(record.fields.count)")
                    continue
                }
                if record.fields[type].trimmingCharacters(in: .whitespaces) == "APR" {
                    mapping.aprRows += 1
                    guard let code, let severity, let base = DRGCode.normalized(record.fields[code]),
                          let apr = APRDRGCode.normalized("\(base)-\(record.fields[severity])") else {
                        mapping.aprRowsWithoutSeverity += 1
                        continue
                    }
                    let admission = record.fields[hadm]
                    if let existing = mapping.aprByAdmission[admission], existing != apr {
                        if existing.prefix(3) == apr.prefix(3) { mapping.aprByAdmission[admission] = max(existing, apr) } else { aprConflicts.insert(admission) }
                    } else {
                        mapping.aprByAdmission[admission] = apr
                    }
                    continue
                }
                guard record.fields[type] == "HCFA" else { continue }
                mapping.hcfaRows += 1
                guard let code = table.v34Code(forMIMICDescription: record.fields[description]) else {
                    mapping.unmappedRows += 1
                    continue
                }
                let admission = record.fields[hadm]
                if let existing = mapping.byAdmission[admission] {
                    if existing != code { mapping.conflictingAdmissions += 1 }
                } else {
                    mapping.byAdmission[admission] = code
                }
            }
        }
        for admission in aprConflicts { mapping.aprByAdmission[admission] = nil }
        mapping.aprConflictingAdmissions = aprConflicts.count
        return mapping
    }
}

/// The v34 descriptions (DRGKit's v34 table, DRG-LLaMA's `DRG_34.tsv`) and DRG-LLaMA's harmonisation map.
public struct V34Descriptions: Sendable {
    /// v34 description → three-digit code.
    let codeByDescription: [String: String]
    /// normalised historical description → v34 description.
    let harmonised: [String: String]

    public static func load() throws -> V34Descriptions {
        guard let mapURL = Bundle.module.url(forResource: "DRG34_Mapping", withExtension: "csv", subdirectory: "Resources") else {
            throw StoreError.io("DRG34_Mapping.csv is missing from the CodingStore bundle")
        }
        var codes: [String: String] = [:]
        for entry in DRGTable.table(for: .v34).entries {
            if let code = DRGCode.normalized(entry.code) { codes[entry.description] = code }
        }
        var harmonised: [String: String] = [:]
        let reader = try CSVStreamReader(url: mapURL)
        _ = reader.next()
        while let result = reader.next() {
            if case .success(let record) = result, record.fields.count == 2 { harmonised[record.fields[0]] = record.fields[1] }
        }
        return V34Descriptions(codeByDescription: codes, harmonised: harmonised)
    }

    /// DRG-LLaMA's normalisation of a MIMIC description (step 2 above).
    public static func normalise(_ description: String) -> String {
        description
            .replacingOccurrences(of: "W/O", with: "WITHOUT")
            .replacingOccurrences(of: " W ", with: " WITH ")
            .replacingOccurrences(of: "&", with: "AND")
            .replacingOccurrences(of: ",", with: "")
            .replacingOccurrences(of: " CATH ", with: " CATHETERIZATION ")
            .replacingOccurrences(of: " PROC ", with: " PROCEDURES ")
    }

    /// The v34 code for a MIMIC HCFA description, or nil when DRG-LLaMA had none for it.
    public func v34Code(forMIMICDescription description: String) -> String? {
        let normalised = Self.normalise(description)
        if let code = codeByDescription[normalised] { return code }
        return harmonised[normalised].flatMap { codeByDescription[$0] }
    }
}

import DRGKit
import Foundation
import GRDB

/// One ICD code on a case (table `case_codes`).
public struct CaseCode: Codable, Sendable, Equatable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case pdx, sdx, pcs
    }
    public var kind: Kind
    /// Upper case without a dot: "J9601", "4280", "02703DZ".
    public var code: String
    /// 10, or 9 for ICD-9-CM (MIMIC-IV rows before October 2015): shown, never attributed a CC/MCC level.
    public var icdVersion: Int
    public var seq: Int

    public init(kind: Kind, code: String, icdVersion: Int = 10, seq: Int) {
        self.kind = kind; self.code = code; self.icdVersion = icdVersion; self.seq = seq
    }

    /// Checks and normalizes a code as it arrives from an import. ICD-10-CM diagnoses must be billable FY 2026
    /// codes; ICD-10-PCS codes well-formed; ICD-9 codes (only where the input says version 9) must have an
    /// ICD-9-CM shape. Throws `StoreError.invalid` with one line naming the code. `allowRetired` (MIMIC-IV, coded
    /// in FY 2016-2022) keeps a well-formed ICD-10-CM code that FY 2026 no longer has, or has made a header
    /// (``isRetired``): shown, never given a CC/MCC level.
    public static func checked(_ raw: String, kind: Kind, icdVersion: Int, seq: Int, allowRetired: Bool = false) throws -> CaseCode {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        do {
            switch (icdVersion, kind) {
            case (10, .pcs): return CaseCode(kind: kind, code: try ICD10.validateProcedure(trimmed), icdVersion: 10, seq: seq)
            case (10, _):
                do {
                    return CaseCode(kind: kind, code: try ICD10.validateDiagnosis(trimmed), icdVersion: 10, seq: seq)
                } catch ICD10CodeError.unknown where allowRetired, ICD10CodeError.notBillable where allowRetired {
                    // (`where` binds to one pattern only: written once, an unknown code was kept even
                    // without `allowRetired`)
                    return CaseCode(kind: kind, code: ICD10.normalized(trimmed), icdVersion: 10, seq: seq)
                }
            case (9, _):
                let code = ICD10.normalized(trimmed)
                let ok = kind == .pcs ? (2...4).contains(code.count) && code.allSatisfy { $0.isASCII && $0.isNumber }
                                      : ICD10.looksLikeICD9Diagnosis(code)
                guard ok else {
                    throw StoreError.invalid("'\(trimmed)' is not a well-formed ICD-9-CM \(kind == .pcs ? "procedure" : "diagnosis") code")
                }
                return CaseCode(kind: kind, code: code, icdVersion: 9, seq: seq)
            default:
                throw StoreError.invalid("icd_version must be 9 or 10, not \(icdVersion)")
            }
        } catch let error as ICD10CodeError {
            throw StoreError.invalid(error.description)
        }
    }

    /// An ICD-10-CM diagnosis that is no billable FY 2026 code (kept from MIMIC-IV with `allowRetired`).
    public var isRetired: Bool { icdVersion == 10 && kind != .pcs && ICD10.cm.entry(code)?.billable != true }

    /// The codes of a JSONL object or CSV row: `pdx` (one code), `sdx` and `procedures` (lists), ICD-10.
    static func fromFields(pdx: String?, sdx: [String], procedures: [String]) throws -> [CaseCode] {
        var codes: [CaseCode] = []
        if let pdx, !pdx.trimmingCharacters(in: .whitespaces).isEmpty {
            codes.append(try checked(pdx, kind: .pdx, icdVersion: 10, seq: 1))
        }
        for (i, code) in sdx.enumerated() { codes.append(try checked(code, kind: .sdx, icdVersion: 10, seq: i + 1)) }
        for (i, code) in procedures.enumerated() { codes.append(try checked(code, kind: .pcs, icdVersion: 10, seq: i + 1)) }
        return codes
    }

    /// The text a decision stores and hashes for confirmed codes: "pdx:J189 sdx:J9601 pcs:5A1955Z" (ICD-9 codes
    /// get a "9" after the kind: "sdx9:4280"); nil for none.
    public static func chainText(_ codes: [CaseCode]) -> String? {
        codes.isEmpty ? nil : codes.map { "\($0.kind.rawValue)\($0.icdVersion == 9 ? "9" : ""):\($0.code)" }.joined(separator: " ")
    }

    /// "J96.01 E11.9" or "J96.01;E11.9" (a CSV cell) → the codes.
    static func list(_ cell: String?) -> [String] {
        (cell ?? "").split(whereSeparator: { $0 == ";" || $0 == "|" || $0 == "," || $0.isWhitespace }).map(String.init)
    }
}

extension AppDatabase {
    /// The codes of a case: principal, secondaries, procedures, each in sequence order.
    public func codes(ofCase id: Int64) throws -> [CaseCode] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT kind, code, icd_version, seq FROM case_codes WHERE case_id = ?
                ORDER BY CASE kind WHEN 'pdx' THEN 0 WHEN 'sdx' THEN 1 ELSE 2 END, seq
                """, arguments: [id]).compactMap { row in
                CaseCode.Kind(rawValue: row["kind"]).map {
                    CaseCode(kind: $0, code: row["code"], icdVersion: row["icd_version"], seq: row["seq"])
                }
            }
        }
    }

    /// Phase 1 of a notes import: a staging table (``ImportStaging``) for the codes that come with the notes (JSONL/CSV fields).
    func createCodesStaging(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE staging.import_codes_staging (
                external_id TEXT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL, icd_version INTEGER NOT NULL,
                seq INTEGER NOT NULL, PRIMARY KEY (external_id, kind, seq));
            """)
    }

    func stageCodes(_ codes: [CaseCode], externalID: String, _ db: Database) throws {
        for code in codes {
            try db.execute(sql: "INSERT INTO staging.import_codes_staging VALUES (?, ?, ?, ?, ?)",
                           arguments: [externalID, code.kind.rawValue, code.code, code.icdVersion, code.seq])
        }
    }

    /// Phase 2: the staged codes of cases that have no codes of that kind yet (so a re-import adds nothing).
    func moveStagedCodes(source: String, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO main.case_codes (case_id, kind, code, icd_version, seq, source)
            SELECT c.id, s.kind, s.code, s.icd_version, s.seq, ?
            FROM staging.import_codes_staging s JOIN main.cases c ON c.source = ? AND c.external_id = s.external_id
            WHERE NOT EXISTS (SELECT 1 FROM main.case_codes k WHERE k.case_id = c.id AND k.kind = s.kind)
            ORDER BY s.rowid
            """, arguments: [source, source])
        try db.execute(sql: "DROP TABLE IF EXISTS staging.import_codes_staging")
    }
}

extension AppDatabase {
    func insertCodes(_ codes: [CaseCode], caseID: Int64, source: String, _ db: Database) throws {
        for code in codes {
            try db.execute(sql: "INSERT INTO case_codes (case_id, kind, code, icd_version, seq, source) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [caseID, code.kind.rawValue, code.code, code.icdVersion, code.seq, source])
        }
    }
}

import Foundation
import GRDB

/// MIMIC-IV `hosp/diagnoses_icd.csv` (subject_id, hadm_id, seq_num, icd_code, icd_version) or
/// `hosp/procedures_icd.csv` (subject_id, hadm_id, seq_num, chartdate, icd_code, icd_version).
public enum MIMICCodeFile: String, Sendable {
    case diagnoses, procedures
}

/// What one codes import did.
public struct CodesImportSummary: Codable, Sendable, Equatable {
    public var file: String
    public var rowsRead = 0
    /// ICD-9 rows (kept, marked version 9).
    public var icd9Rows = 0
    /// ICD-10-CM rows whose code FY 2026 no longer has or has made a category (kept; no CC/MCC attribution).
    public var retiredICD10Rows = 0
    public var inserted = 0
    /// Rows whose hadm_id is no case in the store (nothing added for them).
    public var withoutCase = 0
    /// Rows already stored by an earlier import (a case's codes of one kind come from one import).
    public var alreadyPresent = 0
}

extension AppDatabase {
    /// Imports MIMIC-IV ICD codes onto the cases with the same `hadm_id`: all rows of the file, or none when a
    /// row is bad (a malformed code, an ICD-9 code marked version 10, a repeated seq_num); an ICD-10-CM code
    /// that FY 2026 retired is kept and counted (`retiredICD10Rows`): MIMIC-IV was coded in FY 2016-2022;
    /// the error names the line. Streamed (`CSVStreamReader`, 1 MiB chunks) into a staging table beside the database (``ImportStaging``), then one
    /// IMMEDIATE transaction, as `importCases` does, so memory stays bounded for files of millions of rows.
    /// `seq_num` 1 of diagnoses is the principal. `progress` gets (bytes read, file size) every 4,096 rows.
    public func importMIMICCodes(_ file: MIMICCodeFile, from url: URL,
                                 progress: ((Int64, Int64) -> Void)? = nil) throws -> CodesImportSummary {
        let rows = try MIMICCodeRows(file, url: url)
        let path = writer.path
        return try writer.writeWithoutTransaction { db in try ImportStaging.with(db, databasePath: path) {
            try db.execute(sql: """
                CREATE TABLE staging.codes_staging (hadm_id TEXT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL,
                    icd_version INTEGER NOT NULL, seq INTEGER NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (hadm_id, kind, seq));
                """)
            var summary = rows.summary
            try db.inTransaction(.deferred) {
                let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO staging.codes_staging VALUES (?, ?, ?, ?, ?, ?)")
                var count = 0
                while let row = try rows.next() {
                    try insert.execute(arguments: [row.hadmID, row.kind.rawValue, row.code, row.icdVersion, row.seq, row.line])
                    guard db.changesCount == 1 else { throw rows.repeated(row) }
                    count += 1
                    if count % 4096 == 0 { progress?(rows.progress.done, rows.progress.total) }
                }
                progress?(rows.progress.total, rows.progress.total)
                return .commit
            }
            summary = rows.summary
            try Self.withBusyRetry(for: busyWait) {
                try db.inTransaction(.immediate) {
                    let cased = "FROM staging.codes_staging s JOIN main.cases c ON c.hadm_id = s.hadm_id"
                    let present = "EXISTS (SELECT 1 FROM main.case_codes k WHERE k.case_id = c.id AND k.kind = s.kind AND k.seq = s.seq)"
                    summary.withoutCase = try Int.fetchOne(db, sql: """
                        SELECT count(*) FROM staging.codes_staging s WHERE NOT EXISTS (SELECT 1 FROM main.cases c WHERE c.hadm_id = s.hadm_id)
                        """) ?? 0
                    summary.alreadyPresent = try Int.fetchOne(db, sql: "SELECT count(*) \(cased) WHERE \(present)") ?? 0
                    try db.execute(sql: """
                        INSERT INTO main.case_codes (case_id, kind, code, icd_version, seq, source)
                        SELECT c.id, s.kind, s.code, s.icd_version, s.seq, 'mimic-iv' \(cased) WHERE NOT \(present)
                        ORDER BY c.id, s.kind, s.seq
                        """)
                    summary.inserted = db.changesCount
                    return .commit
                }
            }
            return summary
        } }
    }
}

/// A codes import that stopped at a bad row; nothing of the file was stored.
public struct CodesImportFailure: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var reason: String
    public var description: String { "\(file) line \(line): \(reason); nothing was imported from this file" }
}

import Foundation
import GRDB

/// What one import did (`drgcoder import` prints it).
public struct ImportSummary: Codable, Sendable, Equatable {
    public var file: String
    /// Notes read (good rows, including duplicates and ones already present).
    public var notesRead = 0
    public var inserted = 0
    /// Already in the store from an earlier import (nothing added). A missing final DRG is filled in.
    public var alreadyPresent = 0
    public var finalDRGFilledIn = 0
    /// The same id appears again later in this file: the first one counts.
    public var duplicatesInFile: [BadRow] = []
    /// Bad rows skipped (only with `skipBadRows`).
    public var skipped: [BadRow] = []
    /// Inserted notes in which no brief-hospital-course pattern matched (the whole note is used).
    public var wholeNoteFallbacks = 0
    public var insertedWithFinalDRG = 0
}

/// An import that stopped at a bad row; nothing of that file was stored.
public struct ImportFailure: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var row: BadRow
    public var description: String {
        "\(file) \(row.location): \(row.reason); nothing was imported from this file (use --skip-bad-rows to skip bad rows)"
    }
}

extension AppDatabase {
    /// Imports every note of `source` as one unit: all of it, or (on a bad row, unless
    /// `skipBadRows`) nothing. Re-importing adds nothing twice: a case is `(source, external id)`.
    /// `progress` is called every 256 records with (done, total) in the source's units (bytes, files).
    /// Note text is stored, never printed.
    ///
    /// Two phases, so a long import does not keep coders waiting: the file is streamed (and its
    /// sections extracted) into a staging table beside the database (``ImportStaging``), which takes no
    /// lock on the queue; then one short
    /// IMMEDIATE transaction moves the new rows into `cases`. A bad row stops phase 1, so nothing
    /// reaches `cases`.
    public func importCases(from source: any CaseSource, fileName: String, skipBadRows: Bool,
                            now: Date = Date(), progress: ((Int64, Int64) -> Void)? = nil) throws -> ImportSummary {
        let path = writer.path
        return try writer.writeWithoutTransaction { db in try ImportStaging.with(db, databasePath: path) {
            try db.execute(sql: """
                CREATE TABLE staging.import_staging (
                    external_id TEXT PRIMARY KEY, hadm_id TEXT, subject_id TEXT, admitted_on TEXT, discharged_on TEXT,
                    note_text TEXT NOT NULL, section_text TEXT NOT NULL, section_source TEXT NOT NULL,
                    final_drg TEXT, metadata_json TEXT, priority INTEGER NOT NULL, final_apr_drg TEXT)
                """)
            try createCodesStaging(db)
            var summary = ImportSummary(file: fileName)
            try db.inTransaction(.deferred) {
                try stage(source, fileName: fileName, skipBadRows: skipBadRows, db, into: &summary, progress: progress)
                return .commit
            }
            try Self.withBusyRetry(for: busyWait) {
                try db.inTransaction(.immediate) {
                    try moveStagedCases(source: source.sourceName, importedAt: StoreClock.timestamp(now), db, into: &summary)
                    return .commit
                }
            }
            return summary
        } }
    }

    /// Phase 1: reads the source into `staging.import_staging` (no lock on the main database).
    private func stage(_ source: any CaseSource, fileName: String, skipBadRows: Bool, _ db: Database,
                       into summary: inout ImportSummary, progress: ((Int64, Int64) -> Void)?) throws {
        var firstSeen: [String: String] = [:]
        var records = 0
        let insert = try db.makeStatement(sql: """
            INSERT INTO staging.import_staging (external_id, hadm_id, subject_id, admitted_on, discharged_on, note_text,
                section_text, section_source, final_drg, metadata_json, priority, final_apr_drg)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        while let (location, result) = source.next() {
            records += 1
            if records % 256 == 0 { progress?(source.progress.done, source.progress.total) }
            switch result {
            case .failure(let bad):
                guard skipBadRows else { throw ImportFailure(file: fileName, row: bad) }
                summary.skipped.append(bad)
            case .success(let incoming):
                if let problem = StoreInput.caseIDProblem(incoming.externalID) {
                    let bad = BadRow(location: location, reason: "bad case id: \(problem)")
                    guard skipBadRows else { throw ImportFailure(file: fileName, row: bad) }
                    summary.skipped.append(bad)
                    continue
                }
                summary.notesRead += 1
                if let first = firstSeen[incoming.externalID] {
                    summary.duplicatesInFile.append(BadRow(location: location,
                        reason: "id \(incoming.externalID) already appeared on \(first); ignored"))
                    continue
                }
                firstSeen[incoming.externalID] = location
                let section = HospitalCourseExtractor.extract(incoming.noteText)
                try insert.execute(arguments: [incoming.externalID, incoming.hadmID, incoming.subjectID, incoming.admittedOn,
                                               incoming.dischargedOn, incoming.noteText, section.text, section.source.rawValue,
                                               incoming.finalDRG, incoming.metadataJSON, incoming.priority, incoming.finalAPRDRG])
                try stageCodes(incoming.codes, externalID: incoming.externalID, db)
            }
        }
        progress?(source.progress.total, source.progress.total)
    }

    /// Phase 2: one IMMEDIATE transaction: count what is already known, fill in missing final
    /// DRGs, insert the rest in file order.
    private func moveStagedCases(source: String, importedAt: String, _ db: Database, into summary: inout ImportSummary) throws {
        let known = "EXISTS (SELECT 1 FROM main.cases c WHERE c.source = ? AND c.external_id = s.external_id)"
        summary.alreadyPresent = try Int.fetchOne(db, sql: "SELECT count(*) FROM staging.import_staging s WHERE \(known)",
                                                  arguments: [source]) ?? 0
        try db.execute(sql: """
            UPDATE main.cases SET final_drg = (SELECT s.final_drg FROM staging.import_staging s WHERE s.external_id = cases.external_id)
            WHERE source = ? AND final_drg IS NULL
              AND external_id IN (SELECT external_id FROM staging.import_staging WHERE final_drg IS NOT NULL)
            """, arguments: [source])
        summary.finalDRGFilledIn = db.changesCount
        try db.execute(sql: """
            UPDATE main.cases SET final_apr_drg = (SELECT s.final_apr_drg FROM staging.import_staging s WHERE s.external_id = cases.external_id)
            WHERE source = ? AND final_apr_drg IS NULL
              AND external_id IN (SELECT external_id FROM staging.import_staging WHERE final_apr_drg IS NOT NULL)
            """, arguments: [source])
        let fresh = "FROM staging.import_staging s WHERE NOT \(known)"
        summary.wholeNoteFallbacks = try Int.fetchOne(db, sql: "SELECT count(*) \(fresh) AND s.section_source = 'whole-note'",
                                                      arguments: [source]) ?? 0
        summary.insertedWithFinalDRG = try Int.fetchOne(db, sql: "SELECT count(*) \(fresh) AND s.final_drg IS NOT NULL",
                                                        arguments: [source]) ?? 0
        try db.execute(sql: """
            INSERT INTO main.cases (source, external_id, hadm_id, subject_id, admitted_on, discharged_on, note_text,
                section_text, section_source, final_drg, metadata_json, priority, imported_at, final_apr_drg)
            SELECT ?, s.external_id, s.hadm_id, s.subject_id, s.admitted_on, s.discharged_on, s.note_text, s.section_text,
                   s.section_source, s.final_drg, s.metadata_json, s.priority, ?, s.final_apr_drg
            \(fresh) ORDER BY s.rowid
            """, arguments: [source, importedAt, source])
        summary.inserted = db.changesCount
        try moveStagedCodes(source: source, db)
    }

    private func store(_ incoming: IncomingCase, source: String, importedAt: String, _ db: Database,
                       into summary: inout ImportSummary) throws {
        if let existing = try Row.fetchOne(db, sql: "SELECT id, final_drg FROM cases WHERE source = ? AND external_id = ?",
                                           arguments: [source, incoming.externalID]) {
            summary.alreadyPresent += 1
            let known: String? = existing["final_drg"]
            if known == nil, let drg = incoming.finalDRG {
                try db.execute(sql: "UPDATE cases SET final_drg = ? WHERE id = ?", arguments: [drg, existing["id"] as Int64])
                summary.finalDRGFilledIn += 1
            }
            return
        }
        let section = HospitalCourseExtractor.extract(incoming.noteText)
        try db.execute(sql: """
            INSERT INTO cases (source, external_id, hadm_id, subject_id, admitted_on, discharged_on, note_text,
                section_text, section_source, final_drg, metadata_json, priority, imported_at, final_apr_drg)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [source, incoming.externalID, incoming.hadmID, incoming.subjectID, incoming.admittedOn,
                             incoming.dischargedOn, incoming.noteText, section.text, section.source.rawValue,
                             incoming.finalDRG, incoming.metadataJSON, incoming.priority, importedAt, incoming.finalAPRDRG])
        try insertCodes(incoming.codes, caseID: db.lastInsertedRowID, source: source, db)
        summary.inserted += 1
        if section.source == .wholeNote { summary.wholeNoteFallbacks += 1 }
        if incoming.finalDRG != nil { summary.insertedWithFinalDRG += 1 }
    }

    /// Adds one case (tests, tools). Returns its id, or the existing id if `(source, externalID)` is known.
    @discardableResult
    public func enqueue(_ incoming: IncomingCase, source: String, now: Date = Date()) throws -> Int64 {
        if let problem = StoreInput.caseIDProblem(incoming.externalID) { throw StoreError.invalid("bad case id: \(problem)") }
        return try write { db in
            var summary = ImportSummary(file: "")
            try store(incoming, source: source, importedAt: StoreClock.timestamp(now), db, into: &summary)
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM cases WHERE source = ? AND external_id = ?",
                                              arguments: [source, incoming.externalID]) else {
                throw StoreError.io("the case just written cannot be read back")
            }
            return id
        }
    }
}

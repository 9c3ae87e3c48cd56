import DRGKit
import Foundation
import GRDB

/// What importing one file of chart-timed notes did.
public struct NotesImportSummary: Codable, Sendable, Equatable {
    public var file: String
    public var notesRead = 0
    public var inserted = 0
    public var alreadyPresent = 0
    /// Stays that had no case yet: created from their notes (in hospital until discharged).
    public var casesCreated = 0
    /// Cases whose discharge this file recorded (a discharge summary or a `dischtime`).
    public var discharged = 0
    public var skipped: [BadRow] = []

    public init(file: String) { self.file = file }

    enum CodingKeys: String, CodingKey {
        case file, notesRead = "notes_read", inserted, alreadyPresent = "already_present", casesCreated = "cases_created"
        case discharged, skipped
    }
}

/// One stored note of a stay (a row of `case_notes`).
public struct CaseNoteRecord: Codable, Sendable, Equatable, FetchableRecord {
    public var id: Int64
    public var caseID: Int64
    public var noteID: String
    public var noteType: String
    /// `YYYY-MM-DD HH:MM:SS`.
    public var chartTime: String
    public var text: String
    /// When it was imported (nil where a query leaves it out).
    public var importedAt: String? = nil
    enum CodingKeys: String, CodingKey {
        case id, caseID = "case_id", noteID = "note_id", noteType = "note_type", chartTime = "charttime", text
        case importedAt = "imported_at"
    }
}

extension AppDatabase {
    /// Metadata a case created from chart-timed notes carries: its text is the notes so far, rebuilt
    /// as notes arrive (a case imported as a discharge summary keeps its own text).
    public static let createdFromNotes = #"{"created_from":"chart-notes"}"#

    /// Imports a file of notes with chart times, in one transaction (a bad row imports nothing, unless
    /// `skipBadRows`). Each note goes to its stay's case: the case with the note's case id in the
    /// format's source, else the case with its `hadm_id`, else a new case (in hospital: no discharge
    /// time) whose text is its notes in chart order. Known notes are counted, not added; a discharge
    /// summary or a `dischtime` records the discharge; admission time and final DRGs fill in what the
    /// case lacks (never overwrite).
    public func importChartNotes(format: ChartNoteFormat, url: URL, skipBadRows: Bool, now: Date = Date(),
                                 progress: ((Int64, Int64) -> Void)? = nil) throws -> NotesImportSummary {
        let notes = try ChartNoteStream(format: format, url: url, skipBadRows: skipBadRows, progress: progress)
        let importedAt = StoreClock.timestamp(now)
        return try write { db in
            var summary = NotesImportSummary(file: url.lastPathComponent)
            var touched: Set<Int64> = []
            while let note = try notes.next(into: &summary) {
                let caseID = try Self.caseForNote(note, source: format.caseSource, importedAt: importedAt, db, into: &summary)
                try db.execute(sql: """
                    INSERT OR IGNORE INTO case_notes (case_id, note_id, note_type, charttime, text, imported_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [caseID, note.noteID, note.noteType, note.chartTime, note.text, importedAt])
                if db.changesCount == 0 { summary.alreadyPresent += 1; continue }
                summary.inserted += 1
                touched.insert(caseID)
                try Self.fillIn(caseID: caseID, from: note, db, into: &summary)
            }
            notes.finish()
            for caseID in touched.sorted() { try Self.rebuildText(caseID: caseID, db) }
            return summary
        }
    }

    /// The case a note belongs to, created when the stay has none.
    static func caseForNote(_ note: IncomingNote, source: String, importedAt: String, _ db: Database,
                            into summary: inout NotesImportSummary) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM cases WHERE source = ? AND external_id = ?", arguments: [source, note.caseID]) {
            return id
        }
        if let hadm = note.hadmID, let id = try Int64.fetchOne(db, sql: "SELECT id FROM cases WHERE hadm_id = ? ORDER BY id LIMIT 1", arguments: [hadm]) {
            return id
        }
        try db.execute(sql: """
            INSERT INTO cases (source, external_id, hadm_id, subject_id, admitted_on, note_text, section_text, section_source,
                metadata_json, imported_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'whole-note', ?, ?)
            """, arguments: [source, note.caseID, note.hadmID, note.subjectID, note.admittedAt, note.text, note.text,
                             createdFromNotes, importedAt])
        summary.casesCreated += 1
        return db.lastInsertedRowID
    }

    /// Admission time, discharge and final DRGs from a note, where the case has none yet.
    static func fillIn(caseID: Int64, from note: IncomingNote, _ db: Database, into summary: inout NotesImportSummary) throws {
        try db.execute(sql: "UPDATE cases SET admitted_on = ? WHERE id = ? AND admitted_on IS NULL", arguments: [note.admittedAt, caseID])
        try db.execute(sql: "UPDATE cases SET final_drg = ? WHERE id = ? AND final_drg IS NULL", arguments: [note.finalDRG, caseID])
        try db.execute(sql: "UPDATE cases SET final_apr_drg = ? WHERE id = ? AND final_apr_drg IS NULL", arguments: [note.finalAPRDRG, caseID])
        if let discharge = note.dischargedAt ?? (note.isDischargeSummary ? note.chartTime : nil) {
            try db.execute(sql: "UPDATE cases SET discharged_on = ? WHERE id = ? AND discharged_on IS NULL", arguments: [discharge, caseID])
            summary.discharged += db.changesCount
        }
    }

    /// A case created from notes shows its notes so far, in chart order, each under a heading
    /// (`[RR 2180-05-06 22:23:00]`); the early-prediction input is built apart (``EarlyInput``).
    static func rebuildText(caseID: Int64, _ db: Database) throws {
        guard try String.fetchOne(db, sql: "SELECT metadata_json FROM cases WHERE id = ?", arguments: [caseID]) == createdFromNotes else { return }
        let notes = try CaseNoteRecord.fetchAll(db, sql: "SELECT * FROM case_notes WHERE case_id = ? ORDER BY charttime, id", arguments: [caseID])
        let text = ChartNoteStream.caseText(notes)
        try db.execute(sql: "UPDATE cases SET note_text = ?, section_text = ? WHERE id = ?", arguments: [text, text, caseID])
    }

    /// A case's notes in chart order.
    public func caseNotes(caseID: Int64) throws -> [CaseNoteRecord] {
        try read { try CaseNoteRecord.fetchAll($0, sql: "SELECT * FROM case_notes WHERE case_id = ? ORDER BY charttime, id", arguments: [caseID]) }
    }
}

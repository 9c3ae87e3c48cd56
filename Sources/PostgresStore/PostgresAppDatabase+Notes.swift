import CodingStore
import DRGKit
import Foundation
import PostgresNIO

/// Chart-timed notes and early prediction (issue 19) on the server: the same rules as the SQLite
/// store (`AppDatabase+CaseNotes`, `AppDatabase+EarlyPredictions`), the file read by the same
/// `ChartNoteStream` and the scoring loop shared (`StoreBackend.scoreEarly`).
extension PostgresAppDatabase {
    /// As `AppDatabase.importChartNotes`: one transaction for the whole file (a bad row stores
    /// nothing), the file streamed one note at a time — memory stays bounded whatever its size —
    /// each note a few statements with bound parameters. Creates the stays that have no case yet.
    public func importChartNotes(format: ChartNoteFormat, url: URL, skipBadRows: Bool, now: Date,
                                 progress: ((Int64, Int64) -> Void)?) throws -> NotesImportSummary {
        _ = try ChartNoteStream(format: format, url: url, skipBadRows: skipBadRows, progress: nil)   // a bad header: one line, no transaction
        let importedAt = StoreClock.timestamp(now)
        let progress = UncheckedSendable(progress)
        return try transaction { connection in
            let notes = try ChartNoteStream(format: format, url: url, skipBadRows: skipBadRows, progress: progress.value)
            var summary = NotesImportSummary(file: url.lastPathComponent)
            var touched: Set<Int64> = []
            // Per stay of the file (bounded by the stays, not the notes): its case, and which of the columns
            // a note fills in it has already — values are only ever filled in, never cleared, so a note with
            // nothing new for them needs one statement (its insert).
            var caseOf: [NoteStayKey: Int64] = [:]
            var filled: [Int64: FilledColumns] = [:]
            while let note = try notes.next(into: &summary) {
                let key = NoteStayKey(caseID: note.caseID, hadmID: note.hadmID)
                let caseID: Int64
                if let known = caseOf[key] {
                    caseID = known
                } else {
                    caseID = try await Self.caseForNote(note, source: format.caseSource, importedAt: importedAt, connection,
                                                        into: &summary)
                    caseOf[key] = caseID
                }
                let added = try await PostgresRows.scalar(Int64.self, connection.query("""
                    INSERT INTO case_notes (case_id, note_id, note_type, charttime, text, imported_at)
                    VALUES (\(caseID), \(note.noteID), \(note.noteType), \(note.chartTime), \(note.text), \(importedAt))
                    ON CONFLICT (case_id, note_id) DO NOTHING
                    RETURNING id
                    """, logger: Self.logger))
                guard added != nil else { summary.alreadyPresent += 1; continue }
                summary.inserted += 1
                touched.insert(caseID)
                if filled[caseID]?.hasEverything(of: note) != true {
                    filled[caseID] = try await Self.fillIn(caseID: caseID, from: note, connection, into: &summary)
                }
            }
            notes.finish()
            for caseID in touched.sorted() { try await Self.rebuildText(caseID: caseID, connection) }
            return summary
        }
    }

    /// The case with the note's case id in `source`, else the first with its `hadm_id`, else a new one.
    private static func caseForNote(_ note: IncomingNote, source: String, importedAt: String, _ connection: PostgresConnection,
                                    into summary: inout NotesImportSummary) async throws -> Int64 {
        if let id = try await PostgresRows.scalar(Int64.self, connection.query("""
            SELECT id FROM cases WHERE (source = \(source) AND external_id = \(note.caseID)) OR hadm_id = \(note.hadmID)
            ORDER BY (source = \(source) AND external_id = \(note.caseID)) DESC, id
            LIMIT 1
            """, logger: logger)) {
            return id
        }
        guard let id = try await PostgresRows.scalar(Int64.self, connection.query("""
            INSERT INTO cases (source, external_id, hadm_id, subject_id, admitted_on, note_text, section_text, section_source,
                metadata_json, imported_at)
            VALUES (\(source), \(note.caseID), \(note.hadmID), \(note.subjectID), \(note.admittedAt), \(note.text), \(note.text),
                'whole-note', \(AppDatabase.createdFromNotes), \(importedAt))
            RETURNING id
            """, logger: logger)) else { throw StoreError.io("the case just created cannot be read back") }
        summary.casesCreated += 1
        return id
    }

    /// Admission time, discharge and final DRGs from a note, where the case has none yet; returns
    /// which of them the case has now.
    private static func fillIn(caseID: Int64, from note: IncomingNote, _ connection: PostgresConnection,
                               into summary: inout NotesImportSummary) async throws -> FilledColumns {
        let rows = try await connection.query("""
            WITH before AS (SELECT discharged_on FROM cases WHERE id = \(caseID))
            UPDATE cases SET admitted_on = COALESCE(cases.admitted_on, \(note.admittedAt)),
                final_drg = COALESCE(cases.final_drg, \(note.finalDRG)),
                final_apr_drg = COALESCE(cases.final_apr_drg, \(note.finalAPRDRG)),
                discharged_on = COALESCE(cases.discharged_on, \(note.discharge))
            WHERE id = \(caseID)
            RETURNING (SELECT discharged_on IS NULL FROM before) AND cases.discharged_on IS NOT NULL,
                cases.admitted_on IS NOT NULL, cases.final_drg IS NOT NULL, cases.final_apr_drg IS NOT NULL,
                cases.discharged_on IS NOT NULL
            """, logger: logger)
        for try await (dischargedNow, admitted, finalDRG, finalAPRDRG, discharged) in rows.decode((Bool, Bool, Bool, Bool, Bool).self) {
            if dischargedNow { summary.discharged += 1 }
            return FilledColumns(admitted: admitted, finalDRG: finalDRG, finalAPRDRG: finalAPRDRG, discharged: discharged)
        }
        throw StoreError.notFound("no case with id \(caseID)")
    }

    /// A case created from notes shows its notes so far (``ChartNoteStream/caseText(_:)``).
    private static func rebuildText(caseID: Int64, _ connection: PostgresConnection) async throws {
        guard try await PostgresRows.scalar(String.self, connection.query(
            "SELECT metadata_json FROM cases WHERE id = \(caseID) AND metadata_json IS NOT NULL", logger: logger)) == AppDatabase.createdFromNotes
        else { return }
        let notes = try await PostgresRows.all(CaseNoteRecord.self, connection.query(
            "SELECT * FROM case_notes WHERE case_id = \(caseID) ORDER BY charttime, id", logger: logger))
        let text = ChartNoteStream.caseText(notes)
        try await connection.query("UPDATE cases SET note_text = \(text), section_text = \(text) WHERE id = \(caseID)", logger: logger)
    }

    public func caseNotes(caseID: Int64) throws -> [CaseNoteRecord] {
        try read { client in
            try await PostgresRows.all(CaseNoteRecord.self, client.query(
                "SELECT * FROM case_notes WHERE case_id = \(caseID) ORDER BY charttime, id", logger: Self.logger))
        }
    }

    public func earlyPredictionCandidates() throws -> [EarlyCandidate] {
        try read { client in
            var out: [EarlyCandidate] = []
            for try await (id, externalID, admittedOn) in try await client.query("""
                SELECT c.id, c.external_id, c.admitted_on FROM cases c
                WHERE c.status <> 'coded' AND EXISTS (SELECT 1 FROM case_notes n WHERE n.case_id = c.id)
                ORDER BY c.priority DESC, c.id
                """, logger: Self.logger).decode((Int64, String, String?).self) {
                out.append(EarlyCandidate(id: id, externalID: externalID, admittedOn: admittedOn))
            }
            return out
        }
    }

    public func latestEarlyInputSHA256(caseID: Int64, modelKey: String, cutoff: EarlyCutoff) throws -> String? {
        try read { client in
            try await PostgresRows.scalar(String.self, client.query("""
                SELECT input_sha256 FROM early_predictions WHERE case_id = \(caseID) AND model_key = \(modelKey)
                AND cutoff = \(cutoff.rawValue) ORDER BY id DESC LIMIT 1
                """, logger: Self.logger))
        }
    }

    public func saveEarlyPrediction(_ record: EarlyPredictionRecord) throws {
        try transaction { connection in try await Self.insertEarlyPrediction(record, keepID: false, connection) }
    }

    /// Inserts an early prediction (with its key, or a new one); nothing when the same input of the
    /// same case, model and cut-off is stored already.
    static func insertEarlyPrediction(_ e: EarlyPredictionRecord, keepID: Bool, _ connection: PostgresConnection) async throws {
        let id: Int64? = keepID ? e.id : nil
        try await connection.query("""
            INSERT INTO early_predictions (id, case_id, model_path, weights_sha256, adapter_sha256, label_space, model_key,
                cutoff, notes_read, last_note_id, input_sha256, created_at, top_drg, top_probability, prediction_json,
                prediction_sha256, elapsed_ms, token_count, truncated)
            VALUES (COALESCE(\(id), nextval(pg_get_serial_sequence('early_predictions', 'id'))), \(e.caseID), \(e.modelPath),
                \(e.weightsSHA256), \(e.adapterSHA256), \(e.labelSpace), \(e.modelKey), \(e.cutoff), \(e.notesRead),
                \(e.lastNoteID), \(e.inputSHA256), \(e.createdAt), \(e.topDRG), \(e.topProbability), \(e.predictionJSON),
                \(e.predictionSHA256), \(e.elapsedMilliseconds), \(e.tokenCount), \(e.truncated))
            ON CONFLICT (case_id, model_key, cutoff, input_sha256) DO NOTHING
            """, logger: logger)
    }
}

/// A stay as a notes file names it: the note's case id and admission.
private struct NoteStayKey: Hashable {
    var caseID: String
    var hadmID: String?
}

/// Which of the columns a note may fill in a case already hold a value.
private struct FilledColumns {
    var admitted, finalDRG, finalAPRDRG, discharged: Bool

    /// Whether the note has nothing to fill in that the case lacks.
    func hasEverything(of note: IncomingNote) -> Bool {
        (note.admittedAt == nil || admitted) && (note.finalDRG == nil || finalDRG)
            && (note.finalAPRDRG == nil || finalAPRDRG) && (note.discharge == nil || discharged)
    }
}

private extension IncomingNote {
    /// The discharge a note records: its stay's `dischtime`, or its own time for a discharge summary.
    var discharge: String? { dischargedAt ?? (isDischargeSummary ? chartTime : nil) }
}

/// A value handed to the pool's task while the calling thread waits for it (`PostgresBridge.wait`):
/// never used from two threads at once, so it may cross even when its type is not `Sendable`
/// (a progress callback, for one).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

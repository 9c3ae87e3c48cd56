import DRGKit
import Foundation
import GRDB

/// How a `score --cutoff` run ended.
public struct EarlyScoringReport: Sendable, Equatable {
    public var cutoff: EarlyCutoff
    /// Predictions made this run (new cases, and cases whose notes in the window changed).
    public var scored = 0
    /// Cases whose latest prediction at this cut-off already read the notes there are now.
    public var upToDate = 0
    /// Cases with notes, none inside the window yet.
    public var noNotesInWindow = 0
    public var failures: [String] = []
    public var cancelled = false
}

/// A case's working DRG: its latest early prediction (any model, any cut-off), as the queue shows it.
public struct WorkingDRG: Codable, Sendable, Equatable {
    public var drg: String
    public var probability: Double
    public var cutoff: EarlyCutoff
    public var notesRead: Int
    /// A note arrived inside this prediction's window after it was made: the next `score --cutoff` redoes it.
    public var stale: Bool
    enum CodingKeys: String, CodingKey { case drg, probability, cutoff, notesRead = "notes_read", stale }

    /// The working DRG of a latest early prediction, stale when the case's `notes` (chart times are
    /// enough: notes are only added) put another count inside its window than it read.
    public init(drg: String, probability: Double, cutoff: EarlyCutoff, notesRead: Int, admittedOn: String?, notes: [CaseNoteRecord]) {
        self.drg = drg; self.probability = probability; self.cutoff = cutoff; self.notesRead = notesRead
        stale = EarlyInput.window(notes, admittedOn: admittedOn, cutoff: cutoff).count != notesRead
    }
}

extension AppDatabase {
    /// Cases with chart-timed notes that are not coded yet, highest priority first (``StoreBackend/scoreEarly``).
    public func earlyPredictionCandidates() throws -> [EarlyCandidate] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.external_id, c.admitted_on FROM cases c
                WHERE c.status <> 'coded' AND EXISTS (SELECT 1 FROM case_notes n WHERE n.case_id = c.id)
                ORDER BY c.priority DESC, c.id
                """).map { EarlyCandidate(id: $0["id"], externalID: $0["external_id"], admittedOn: $0["admitted_on"]) }
        }
    }

    /// The input hash of this model's latest prediction of the case at this cut-off.
    public func latestEarlyInputSHA256(caseID: Int64, modelKey: String, cutoff: EarlyCutoff) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT input_sha256 FROM early_predictions WHERE case_id = ? AND model_key = ? AND cutoff = ? ORDER BY id DESC LIMIT 1
                """, arguments: [caseID, modelKey, cutoff.rawValue])
        }
    }

    /// Adds one early prediction; a second save of the same input adds nothing (UNIQUE).
    func saveEarlyPrediction(caseID: Int64, identity: ModelIdentity, cutoff: EarlyCutoff, input: EarlyInput,
                             scored: ScoredPrediction, now: Date) throws {
        try saveEarlyPrediction(EarlyPredictionRecord.make(caseID: caseID, identity: identity, cutoff: cutoff, input: input,
                                                           scored: scored, createdAt: StoreClock.timestamp(now)))
    }

    public func saveEarlyPrediction(_ p: EarlyPredictionRecord) throws {
        try write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO early_predictions (case_id, model_path, weights_sha256, adapter_sha256, label_space, model_key,
                    cutoff, notes_read, last_note_id, input_sha256, created_at, top_drg, top_probability, prediction_json,
                    prediction_sha256, elapsed_ms, token_count, truncated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [p.caseID, p.modelPath, p.weightsSHA256, p.adapterSHA256, p.labelSpace, p.modelKey,
                                 p.cutoff, p.notesRead, p.lastNoteID, p.inputSHA256, p.createdAt, p.topDRG,
                                 p.topProbability, p.predictionJSON, p.predictionSHA256, p.elapsedMilliseconds,
                                 p.tokenCount, p.truncated])
        }
    }

    /// Each case's working DRG (its latest early prediction), with whether a note arrived inside that
    /// prediction's window since (stale).
    public func workingDRGs() throws -> [Int64: WorkingDRG] {
        try read { try Self.fetchWorkingDRGs($0) }
    }

    static func fetchWorkingDRGs(_ db: Database) throws -> [Int64: WorkingDRG] {
        do {
            let rows = try Row.fetchAll(db, sql: """
                SELECT e.case_id, e.top_drg, e.top_probability, e.cutoff, e.notes_read, c.admitted_on
                FROM early_predictions e JOIN cases c ON c.id = e.case_id
                WHERE e.id = (SELECT max(id) FROM early_predictions WHERE case_id = e.case_id)
                """)
            var out: [Int64: WorkingDRG] = [:]
            for row in rows {
                let caseID: Int64 = row["case_id"]
                guard let cutoff = EarlyCutoff(rawValue: row["cutoff"]) else { continue }
                // Times only (no note text): notes are only added, so the window changed iff its count did.
                let notes = try CaseNoteRecord.fetchAll(db, sql: """
                    SELECT id, case_id, note_id, note_type, charttime, '' AS text FROM case_notes WHERE case_id = ?
                    """, arguments: [caseID])
                out[caseID] = WorkingDRG(drg: row["top_drg"], probability: row["top_probability"], cutoff: cutoff,
                                         notesRead: row["notes_read"], admittedOn: row["admitted_on"], notes: notes)
            }
            return out
        }
    }

    /// Cases with chart-timed notes and no discharge yet: patients still in hospital.
    public func inHospitalCaseIDs() throws -> Set<Int64> {
        try read { db in
            Set(try Int64.fetchAll(db, sql: """
                SELECT c.id FROM cases c WHERE c.discharged_on IS NULL AND EXISTS (SELECT 1 FROM case_notes n WHERE n.case_id = c.id)
                """))
        }
    }
}

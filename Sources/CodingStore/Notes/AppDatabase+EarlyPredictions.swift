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
}

extension AppDatabase {
    /// Early prediction (issue 19): for every case with chart-timed notes that is not coded yet,
    /// highest priority first, builds the input from its notes up to `cutoff` (``EarlyInput``) and,
    /// unless its latest prediction from this model at this cut-off read exactly that input, scores it
    /// and adds a row to `early_predictions` (never updated: a new note makes a new row). Resumable
    /// like `scoreQueue`; `limit` caps the predictions made.
    public func scoreEarly(with scorer: any Scorer, cutoff: EarlyCutoff, limit: Int? = nil,
                           isCancelled: @escaping @Sendable () -> Bool = { false }, clock: @escaping () -> Date = Date.init,
                           progress: ((Int, Int) -> Void)? = nil) throws -> EarlyScoringReport {
        var report = EarlyScoringReport(cutoff: cutoff)
        let cases = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.external_id, c.admitted_on FROM cases c
                WHERE c.status <> 'coded' AND EXISTS (SELECT 1 FROM case_notes n WHERE n.case_id = c.id)
                ORDER BY c.priority DESC, c.id
                """).map { (id: $0["id"] as Int64, externalID: $0["external_id"] as String, admittedOn: $0["admitted_on"] as String?) }
        }
        for (index, c) in cases.enumerated() {
            if isCancelled() { report.cancelled = true; break }
            if let limit, report.scored >= limit { break }
            progress?(index, cases.count)
            guard let input = EarlyInput.build(notes: try caseNotes(caseID: c.id), admittedOn: c.admittedOn, cutoff: cutoff) else {
                report.noNotesInWindow += 1; continue
            }
            let latest = try read { db in
                try String.fetchOne(db, sql: """
                    SELECT input_sha256 FROM early_predictions WHERE case_id = ? AND model_key = ? AND cutoff = ? ORDER BY id DESC LIMIT 1
                    """, arguments: [c.id, scorer.identity.key, cutoff.rawValue])
            }
            if latest == input.sha256 { report.upToDate += 1; continue }
            do {
                let scored = try scorer.score(text: input.text, isCancelled: isCancelled, progress: { _ in })
                try saveEarlyPrediction(caseID: c.id, identity: scorer.identity, cutoff: cutoff, input: input, scored: scored, now: clock())
                report.scored += 1
            } catch is CancellationError {
                report.cancelled = true; break
            } catch {
                report.failures.append("\(c.externalID): \(error)")
            }
        }
        progress?(cases.count, cases.count)
        return report
    }

    /// Adds one early prediction; a second save of the same input returns nothing new (UNIQUE).
    func saveEarlyPrediction(caseID: Int64, identity: ModelIdentity, cutoff: EarlyCutoff, input: EarlyInput,
                             scored: ScoredPrediction, now: Date) throws {
        guard let top = scored.prediction.ranked.first else { throw StoreError.invalid("a prediction must rank at least one DRG") }
        let json = try PredictionCoding.encode(scored.prediction)
        try write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO early_predictions (case_id, model_path, weights_sha256, adapter_sha256, label_space, model_key,
                    cutoff, notes_read, last_note_id, input_sha256, created_at, top_drg, top_probability, prediction_json,
                    prediction_sha256, elapsed_ms, token_count, truncated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [caseID, identity.path, identity.weightsSHA256, identity.adapterSHA256, identity.labelSpace, identity.key,
                                 cutoff.rawValue, input.notesRead, input.lastNoteID, input.sha256, StoreClock.timestamp(now), top.drg,
                                 top.probability, json, DecisionChain.sha256Hex(json.utf8), scored.elapsedMilliseconds,
                                 scored.tokenCount, scored.truncated])
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
                let inWindow = EarlyInput.window(notes, admittedOn: row["admitted_on"], cutoff: cutoff).count
                let notesRead: Int = row["notes_read"]
                out[caseID] = WorkingDRG(drg: row["top_drg"], probability: row["top_probability"], cutoff: cutoff,
                                         notesRead: notesRead, stale: inWindow != notesRead)
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

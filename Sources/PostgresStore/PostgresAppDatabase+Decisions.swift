import CodingStore
import Foundation
import PostgresNIO

extension PostgresAppDatabase {
    /// As `AppDatabase.recordDecision`, with the same rules (`DecisionRules`): in one transaction,
    /// take the chain's advisory lock (every append waits here, so the chain cannot fork), lock the
    /// case's row, read its decisions, the shown prediction and the chain's head, append the row
    /// (the server's trigger checks its seq and prev_hash again) and update the case. `decided_at`
    /// is read after the lock, so the log's times follow its order.
    public func recordDecision(_ request: DecisionRequest, now fixedNow: Date?) throws -> DecisionRecord {
        let user = try StoreInput.userName(request.user)
        return try transaction { connection in
            let logger = Self.logger
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.chainLock))", logger: logger)
            let now = fixedNow ?? Date()
            guard let record = try await PostgresRows.first(CaseRecord.self, connection.query(
                "SELECT * FROM cases WHERE id = \(request.caseID) FOR UPDATE", logger: logger)) else {
                throw StoreError.notFound("no case with id \(request.caseID)")
            }
            let caseDecisions = try await PostgresRows.all(DecisionRecord.self, connection.query(
                "SELECT * FROM decisions WHERE case_id = \(record.id) ORDER BY seq", logger: logger))
            let shown: Result<PredictionRecord?, StoreError>
            if let id = request.predictionID {
                let prediction = try await PostgresRows.first(PredictionRecord.self, connection.query(
                    "SELECT * FROM predictions WHERE id = \(id)", logger: logger))
                shown = prediction?.caseID == request.caseID ? .success(prediction)
                    : .failure(.notFound("prediction \(id) does not belong to case \(request.caseID)"))
            } else {
                shown = .success(try await PostgresRows.first(PredictionRecord.self, connection.query(
                    "SELECT * FROM predictions WHERE case_id = \(request.caseID) ORDER BY id DESC LIMIT 1", logger: logger)))
            }
            let last = try await PostgresRows.scalar(String.self, connection.query(
                "SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1", logger: logger))
            let high = try await PostgresRows.scalar(Int64.self, connection.query(
                "SELECT seq FROM decision_high_water WHERE id = 1", logger: logger)) ?? 0
            let row = try DecisionRules.row(for: request, user: user, .init(
                record: record, caseDecisions: caseDecisions, shown: shown,
                prevHash: last ?? DecisionChain.genesisHash, nextSeq: high + 1, now: now))
            try await Self.insert(row, connection)
            let holder = request.holdClaim ? (user: user, until: now.timeIntervalSince1970 + AppDatabase.defaultLease) : nil
            let state = DecisionRules.caseState(after: caseDecisions + [row], caseID: record.id, holder: holder)
            try await connection.query("""
                UPDATE cases SET status = \(state.status.rawValue), coded_drg = \(state.codedDRG),
                                 claim_holder = \(holder?.user), lease_expires_at = \(holder?.until)
                WHERE id = \(record.id)
                """, logger: logger)
            return row
        }
    }

    /// Appends `row` as it is; the server's trigger refuses it unless it follows the chain's head.
    static func insert(_ row: DecisionRecord, _ connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO decisions (seq, case_id, case_external_id, "user", role, action, chosen_drg, model_top_drg,
                prediction_id, prediction_sha256, reason_code, note, time_spent_ms, decided_at, reverses_seq,
                prev_hash, hash, confirmed_codes)
            VALUES (\(row.seq), \(row.caseID), \(row.caseExternalID), \(row.user), \(row.role.rawValue), \(row.action.rawValue),
                \(row.chosenDRG), \(row.modelTopDRG), \(row.predictionID), \(row.predictionSHA256), \(row.reasonCode),
                \(row.note), \(row.timeSpentMilliseconds), \(row.decidedAt), \(row.reversesSeq), \(row.prevHash),
                \(row.hash), \(row.confirmedCodes))
            """, logger: logger)
    }

    public func effectiveDecisions(caseID: Int64) throws -> [DecisionRecord] {
        let rows = try read { client in
            try await PostgresRows.all(DecisionRecord.self, client.query(
                "SELECT * FROM decisions WHERE case_id = \(caseID) ORDER BY seq", logger: Self.logger))
        }
        return DecisionRules.effective(rows)
    }

    public func allDecisions() throws -> [DecisionRecord] {
        try read { client in
            try await PostgresRows.all(DecisionRecord.self, client.query("SELECT * FROM decisions ORDER BY seq", logger: Self.logger))
        }
    }

    /// The same checks as on SQLite, by the same code: the rows (read in one repeatable-read
    /// snapshot) are mirrored into memory with the chain's high-water mark and
    /// `AppDatabase.verifyChain` walks them — seq gaps, prev_hash links, every hash, the shown
    /// predictions' SHA-256, undo targets, anchors, and for a whole check (`after` nil) every
    /// prediction's columns against its hashed provenance (the note and section text included) and
    /// every case's cached status and coded DRG.
    ///
    /// An incremental check (the review screen, before each decision) reads only `chainSlice`: the
    /// rows from `start` on, what they point at, and no note text — so a coder's decision costs the
    /// same on a store of a million cases as on the demo's two hundred.
    public func verifyChain(expectedHead: String?, anchors: [ChainAnchor], after start: ChainAnchor?) throws -> ChainVerification {
        let rows = try start.map(chainSlice(from:)) ?? snapshot()
        return try AppDatabase.mirror(of: rows, foreignKeys: start == nil).verifyChain(expectedHead: expectedHead, anchors: anchors, after: start)
    }

    /// What `verifyChain(after: start)` needs, in one repeatable-read snapshot: the decisions from
    /// `start` on (the anchor row itself, which must still hash to it), the earlier rows that their
    /// undos point at, the predictions they showed, the high-water mark, and their cases without
    /// note text. Rows it leaves out may be pointed at (an earlier undo's target): it is mirrored
    /// without foreign keys.
    func chainSlice(from start: ChainAnchor) throws -> StoreSnapshot {
        try transaction { connection in
            let logger = Self.logger
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            var slice = StoreSnapshot()
            slice.decisions = try await PostgresRows.all(DecisionRecord.self, connection.query("""
                SELECT * FROM decisions WHERE seq >= \(start.seq)
                   OR seq IN (SELECT reverses_seq FROM decisions WHERE seq > \(start.seq))
                ORDER BY seq
                """, logger: logger))
            slice.predictions = try await PostgresRows.all(PredictionRecord.self, connection.query("""
                SELECT * FROM predictions WHERE id IN (SELECT prediction_id FROM decisions WHERE seq > \(start.seq)) ORDER BY id
                """, logger: logger))
            let caseIDs = Array(Set(slice.decisions.map(\.caseID) + slice.predictions.map(\.caseID))).sorted()
            slice.cases = try await PostgresRows.all(CaseRecord.self, connection.query("""
                SELECT \(unescaped: PostgresRows.caseColumnsWithoutNotes) FROM cases c WHERE c.id = ANY(\(caseIDs)) ORDER BY c.id
                """, logger: logger))
            slice.decisionHighWater = try await PostgresRows.scalar(Int64.self, connection.query(
                "SELECT seq FROM decision_high_water WHERE id = 1", logger: logger)) ?? 0
            return slice
        }
    }
}

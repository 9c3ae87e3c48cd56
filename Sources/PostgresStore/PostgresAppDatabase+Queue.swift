import CodingStore
import Foundation
import PostgresNIO

extension PostgresAppDatabase {
    /// Adds one case. The note's section extraction and the checks are the SQLite store's: the case
    /// is built in a throw-away in-memory store and appended from there (`appendCases`).
    public func enqueue(_ incoming: IncomingCase, source: String, now: Date) throws -> Int64 {
        let scratch = try AppDatabase.inMemory()
        try scratch.enqueue(incoming, source: source, now: now)
        _ = try appendCases(from: scratch.snapshot())
        guard let id = try cases(externalID: incoming.externalID, source: source).first?.id else {
            throw StoreError.io("the case just written cannot be read back")
        }
        return id
    }

    public func caseRecord(id: Int64) throws -> CaseRecord? {
        try read { client in
            try await PostgresRows.first(CaseRecord.self, client.query("SELECT * FROM cases WHERE id = \(id)", logger: Self.logger))
        }
    }

    public func cases(externalID: String, source: String?) throws -> [CaseRecord] {
        try read { client in
            try await PostgresRows.all(CaseRecord.self, client.query("""
                SELECT * FROM cases WHERE external_id = \(externalID) AND (\(source)::text IS NULL OR source = \(source))
                ORDER BY id
                """, logger: Self.logger))
        }
    }

    /// Every case in queue order with its latest score (note text left out).
    public func queueEntries() throws -> [QueueEntry] {
        try read { client in
            var entries: [QueueEntry] = []
            let rows = try await client.query("""
                SELECT \(unescaped: PostgresRows.caseColumnsWithoutNotes), p.top_drg, p.top_probability,
                       (SELECT count(*) FROM predictions q WHERE q.case_id = c.id) AS prediction_count,
                       (c.discharged_on IS NULL AND EXISTS (SELECT 1 FROM case_notes n WHERE n.case_id = c.id)) AS in_hospital
                FROM cases c
                LEFT JOIN LATERAL (SELECT top_drg, top_probability FROM predictions p
                                   WHERE p.case_id = c.id ORDER BY p.id DESC LIMIT 1) p ON true
                ORDER BY c.priority DESC, c.id
                """, logger: Self.logger)
            for try await row in rows {
                var entry = QueueEntry.claim(of: try PostgresRowDecoder.decode(CaseRecord.self, from: row))
                let r = row.makeRandomAccess()
                entry.topDRG = try r["top_drg"].decode(String?.self)
                entry.topProbability = try r["top_probability"].decode(Double?.self)
                entry.predictionCount = Int(try r["prediction_count"].decode(Int64.self))
                entry.inHospital = try r["in_hospital"].decode(Bool.self)
                entries.append(entry)
            }
            let working = try await Self.workingDRGs(client)
            for i in entries.indices { entries[i].working = working[entries[i].id] }
            return entries
        }
    }

    /// Each case's working DRG: its latest early prediction, stale when a note arrived in its window
    /// since (as `AppDatabase.workingDRGs`; note times only, no text).
    private static func workingDRGs(_ client: PostgresClient) async throws -> [Int64: WorkingDRG] {
        var latest: [(caseID: Int64, drg: String, probability: Double, cutoff: EarlyCutoff, notesRead: Int, admittedOn: String?)] = []
        for try await (caseID, drg, probability, cutoff, notesRead, admittedOn) in try await client.query("""
            SELECT DISTINCT ON (e.case_id) e.case_id, e.top_drg, e.top_probability, e.cutoff, e.notes_read, c.admitted_on
            FROM early_predictions e JOIN cases c ON c.id = e.case_id
            ORDER BY e.case_id, e.id DESC
            """, logger: logger).decode((Int64, String, Double, String, Int, String?).self) {
            guard let cutoff = EarlyCutoff(rawValue: cutoff) else { continue }
            latest.append((caseID, drg, probability, cutoff, notesRead, admittedOn))
        }
        var out: [Int64: WorkingDRG] = [:]
        for p in latest {
            let notes = try await PostgresRows.all(CaseNoteRecord.self, client.query("""
                SELECT id, case_id, note_id, note_type, charttime, '' AS text FROM case_notes WHERE case_id = \(p.caseID)
                """, logger: logger))
            out[p.caseID] = WorkingDRG(drg: p.drg, probability: p.probability, cutoff: p.cutoff, notesRead: p.notesRead,
                                       admittedOn: p.admittedOn, notes: notes)
        }
        return out
    }

    /// As `AppDatabase.claimNextCase`: the user's own live claim, else the highest-priority queued
    /// case, else one whose lease expired; never `excluding`. The user's own claim is read first and
    /// waited for (`FOR UPDATE`): skipping it because another transaction had the row locked for a
    /// moment would hand the coder a second case and release the first. Other candidates are taken
    /// `FOR UPDATE SKIP LOCKED`, so coders claiming at the same moment each get a different case
    /// without waiting for one another.
    public func claimNextCase(user: String, lease: TimeInterval, excluding: Int64?, now: Date) throws -> CaseRecord? {
        let user = try StoreInput.userName(user)
        let t = now.timeIntervalSince1970
        return try transaction { connection in
            if let excluding { try await Self.release(connection, caseID: excluding, user: user) }
            if let own = try await PostgresRows.first(CaseRecord.self, connection.query("""
                SELECT * FROM cases
                WHERE claim_holder = \(user) AND status = 'in_progress' AND lease_expires_at > \(t)
                  AND id IS DISTINCT FROM \(excluding)
                ORDER BY priority DESC, id
                LIMIT 1
                FOR UPDATE
                """, logger: Self.logger)), own.claimHolder == user, (own.leaseExpiresAt ?? 0) > t {
                return try await Self.take(connection, own, user: user, until: t + lease)
            }
            guard let candidate = try await PostgresRows.first(CaseRecord.self, connection.query("""
                SELECT * FROM cases
                WHERE id IS DISTINCT FROM \(excluding)
                  AND (status = 'queued'
                       OR (status = 'in_progress' AND (lease_expires_at IS NULL OR lease_expires_at <= \(t))))
                ORDER BY priority DESC, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
                """, logger: Self.logger)) else { return nil }
            return try await Self.take(connection, candidate, user: user, until: t + lease)
        }
    }

    /// As `AppDatabase.claim`: refused while someone else holds a live lease, and for a coded case
    /// unless `recode`. Waits for the case's row lock (a decision on it in flight).
    public func claim(caseID: Int64, user: String, lease: TimeInterval, recode: Bool, now: Date) throws -> CaseRecord {
        let user = try StoreInput.userName(user)
        let t = now.timeIntervalSince1970
        return try transaction { connection in
            guard let record = try await PostgresRows.first(CaseRecord.self, connection.query(
                "SELECT * FROM cases WHERE id = \(caseID) FOR UPDATE", logger: Self.logger)) else {
                throw StoreError.notFound("no case with id \(caseID)")
            }
            if let holder = record.claimHolder, holder != user, let lease = record.leaseExpiresAt, lease > t {
                throw StoreError.conflict("case \(record.externalID) is being coded by \(holder)")
            }
            guard record.status != .coded || recode else { throw StoreError.conflict("case \(record.externalID) is already coded") }
            return try await Self.take(connection, record, user: user, until: t + lease)
        }
    }

    /// Gives `record` (locked by the caller) to `user` until `until`, releasing the user's other claims.
    private static func take(_ connection: PostgresConnection, _ record: CaseRecord, user: String, until: Double) async throws -> CaseRecord {
        try await connection.query("""
            UPDATE cases SET status = CASE status WHEN 'in_progress' THEN 'queued' ELSE status END,
                             claim_holder = NULL, lease_expires_at = NULL
            WHERE claim_holder = \(user) AND id <> \(record.id)
            """, logger: logger)
        let status = record.status == .queued || record.status == .inProgress ? CaseStatus.inProgress : record.status
        guard let taken = try await PostgresRows.first(CaseRecord.self, connection.query("""
            UPDATE cases SET status = \(status.rawValue), claim_holder = \(user), lease_expires_at = \(until)
            WHERE id = \(record.id) RETURNING *
            """, logger: logger)) else { throw StoreError.io("the case just claimed cannot be read back") }
        return taken
    }

    public func renewLease(caseID: Int64, user: String, lease: TimeInterval, now: Date) throws -> Bool {
        let until = now.timeIntervalSince1970 + lease
        return try transaction { connection in
            let rows = try await connection.query("""
                UPDATE cases SET lease_expires_at = \(until) WHERE id = \(caseID) AND claim_holder = \(user) RETURNING id
                """, logger: Self.logger)
            return try await PostgresRows.count(rows) == 1
        }
    }

    public func releaseClaim(caseID: Int64, user: String) throws {
        try transaction { connection in try await Self.release(connection, caseID: caseID, user: user) }
    }

    private static func release(_ connection: PostgresConnection, caseID: Int64, user: String) async throws {
        try await connection.query("""
            UPDATE cases SET status = CASE status WHEN 'in_progress' THEN 'queued' ELSE status END,
                             claim_holder = NULL, lease_expires_at = NULL
            WHERE id = \(caseID) AND claim_holder = \(user)
            """, logger: logger)
    }
}

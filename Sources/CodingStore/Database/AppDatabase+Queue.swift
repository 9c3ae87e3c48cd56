import Foundation
import GRDB

/// One line of `drgcoder queue`: a case with its status and its latest score.
public struct QueueEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var externalID: String
    public var source: String
    public var status: CaseStatus
    public var priority: Int
    public var claimHolder: String?
    /// When the holder's lease ends (ISO 8601 UTC), if the case is claimed.
    public var leaseExpiresAt: String?
    public var finalDRG: String?
    public var codedDRG: String?
    public var sectionSource: SectionSource
    /// The latest prediction's top DRG and its probability, if the case was scored.
    public var topDRG: String?
    public var topProbability: Double?
    public var predictionCount: Int
    /// A stay with chart-timed notes and no discharge yet (early prediction, issue 19).
    public var inHospital = false
    /// Its latest early prediction, if any.
    public var working: WorkingDRG? = nil

    enum CodingKeys: String, CodingKey {
        case id, externalID = "external_id", source, status, priority, claimHolder = "claim_holder"
        case leaseExpiresAt = "lease_expires_at", finalDRG = "final_drg", codedDRG = "coded_drg", sectionSource = "section_source"
        case topDRG = "top_drg", topProbability = "top_probability", predictionCount = "prediction_count"
        case inHospital = "in_hospital", working = "working_drg"
    }
}

extension AppDatabase {
    /// Default claim lease: a case untouched for 15 minutes returns to the queue.
    public static let defaultLease: TimeInterval = 15 * 60

    /// Atomically claims the next case for `user`: the user's own live claim on a queued case if
    /// there is one (renewed), otherwise the highest-priority queued case, or a case whose claim
    /// lease expired; never `excluding` (the case the coder just left). Any other claim of the user
    /// is released (a coder works one case at a time). Two processes calling this at once never
    /// receive the same case (one IMMEDIATE transaction). Returns nil when nothing is left to code.
    public func claimNextCase(user: String, lease: TimeInterval = defaultLease, excluding: Int64? = nil,
                              now: Date = Date()) throws -> CaseRecord? {
        let user = try StoreInput.userName(user)
        let t = now.timeIntervalSince1970
        return try write { db in
            if let excluding { try Self.release(db, caseID: excluding, user: user) }
            let candidate = try CaseRecord.fetchOne(db, sql: """
                SELECT * FROM cases
                WHERE id IS NOT ?
                  AND ((status = 'in_progress' AND claim_holder = ? AND lease_expires_at > ?)
                       OR status = 'queued'
                       OR (status = 'in_progress' AND (lease_expires_at IS NULL OR lease_expires_at <= ?)))
                ORDER BY (claim_holder = ? AND lease_expires_at > ?) DESC, priority DESC, id
                LIMIT 1
                """, arguments: [excluding, user, t, t, user, t])
            guard let candidate else { return nil }
            try Self.take(db, candidate, user: user, until: t + lease)
            return try CaseRecord.fetchOne(db, key: candidate.id)
        }
    }

    /// Claims one given case (a coder opening it from the list, `drgcoder queue --claim --case`).
    /// Refused while another user holds a live lease on it, and for a coded case unless `recode`
    /// (a coder about to re-code it). Queued cases become in progress; deferred, flagged and coded
    /// cases keep their status and gain a holder. Releases the user's other claims.
    @discardableResult
    public func claim(caseID: Int64, user: String, lease: TimeInterval = defaultLease, recode: Bool = false,
                      now: Date = Date()) throws -> CaseRecord {
        let user = try StoreInput.userName(user)
        let t = now.timeIntervalSince1970
        return try write { db in
            guard let record = try CaseRecord.fetchOne(db, key: caseID) else { throw StoreError.notFound("no case with id \(caseID)") }
            if let holder = record.claimHolder, holder != user, let lease = record.leaseExpiresAt, lease > t {
                throw StoreError.conflict("case \(record.externalID) is being coded by \(holder)")
            }
            guard record.status != .coded || recode else { throw StoreError.conflict("case \(record.externalID) is already coded") }
            try Self.take(db, record, user: user, until: t + lease)
            return try CaseRecord.fetchOne(db, key: caseID) ?? record
        }
    }

    /// Gives `record` to `user` until `until` and releases the user's other claims.
    private static func take(_ db: Database, _ record: CaseRecord, user: String, until: Double) throws {
        for other in try Int64.fetchAll(db, sql: "SELECT id FROM cases WHERE claim_holder = ? AND id <> ?",
                                        arguments: [user, record.id]) {
            try release(db, caseID: other, user: user)
        }
        let status = record.status == .queued || record.status == .inProgress ? CaseStatus.inProgress : record.status
        try db.execute(sql: "UPDATE cases SET status = ?, claim_holder = ?, lease_expires_at = ? WHERE id = ?",
                       arguments: [status.rawValue, user, until, record.id])
    }

    /// Extends `user`'s lease on a case they hold (the review screen's heartbeat). Returns false if
    /// they no longer hold it (it expired and someone else took it, or it was decided).
    @discardableResult
    public func renewLease(caseID: Int64, user: String, lease: TimeInterval = defaultLease, now: Date = Date()) throws -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE cases SET lease_expires_at = ? WHERE id = ? AND claim_holder = ?",
                           arguments: [now.timeIntervalSince1970 + lease, caseID, user])
            return db.changesCount == 1
        }
    }

    /// Gives a held case back without deciding it: an in-progress case returns to the queue, a
    /// deferred, flagged or coded one keeps its status. Does nothing to a case `user` does not hold.
    public func releaseClaim(caseID: Int64, user: String) throws {
        try write { db in try Self.release(db, caseID: caseID, user: user) }
    }

    private static func release(_ db: Database, caseID: Int64, user: String) throws {
        try db.execute(sql: """
            UPDATE cases SET status = CASE status WHEN 'in_progress' THEN 'queued' ELSE status END,
                             claim_holder = NULL, lease_expires_at = NULL
            WHERE id = ? AND claim_holder = ?
            """, arguments: [caseID, user])
    }

    /// One case by the store's id.
    public func caseRecord(id: Int64) throws -> CaseRecord? {
        try read { try CaseRecord.fetchOne($0, key: id) }
    }

    /// The cases with this external id (one per source that has it).
    public func cases(externalID: String, source: String? = nil) throws -> [CaseRecord] {
        try read { db in
            if let source {
                return try CaseRecord.fetchAll(db, sql: "SELECT * FROM cases WHERE external_id = ? AND source = ?",
                                               arguments: [externalID, source])
            }
            return try CaseRecord.fetchAll(db, sql: "SELECT * FROM cases WHERE external_id = ? ORDER BY id",
                                           arguments: [externalID])
        }
    }

    /// Every case in queue order (priority, then import order) with its latest score.
    public func queueEntries() throws -> [QueueEntry] {
        try read { try Self.fetchQueueEntries($0) }
    }

    /// The cases whose note holds every word of `query` (SQLite's LIKE: ASCII letters case-insensitive),
    /// for the review queue's search. Only ids leave the store; the note text is PHI.
    public func caseIDs(withNoteWords query: String) throws -> Set<Int64> {
        let words = query.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else { return [] }
        let clause = words.map { _ in "note_text LIKE ? ESCAPE '\\'" }.joined(separator: " AND ")
        let patterns = words.map { word in
            "%" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        return try read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT id FROM cases WHERE \(clause)", arguments: StatementArguments(patterns)))
        }
    }

    /// The queue as a GRDB `ValueObservation`, for screens that redraw when another coder decides.
    public func queueObservation() -> ValueObservation<ValueReducers.Fetch<[QueueEntry]>> {
        ValueObservation.tracking { try Self.fetchQueueEntries($0) }
    }

    static func fetchQueueEntries(_ db: Database) throws -> [QueueEntry] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.id, c.external_id, c.source, c.status, c.priority, c.claim_holder, c.lease_expires_at, c.final_drg,
                   c.coded_drg, c.section_source,
                   (SELECT top_drg FROM predictions p WHERE p.case_id = c.id ORDER BY p.id DESC LIMIT 1) AS top_drg,
                   (SELECT top_probability FROM predictions p WHERE p.case_id = c.id ORDER BY p.id DESC LIMIT 1) AS top_probability,
                   (SELECT count(*) FROM predictions p WHERE p.case_id = c.id) AS prediction_count,
                   (c.discharged_on IS NULL AND EXISTS (SELECT 1 FROM case_notes n WHERE n.case_id = c.id)) AS in_hospital
            FROM cases c ORDER BY c.priority DESC, c.id
            """)
        let working = try fetchWorkingDRGs(db)
        return rows.map { row in
            QueueEntry(id: row["id"], externalID: row["external_id"], source: row["source"],
                       status: CaseStatus(rawValue: row["status"]) ?? .queued, priority: row["priority"],
                       claimHolder: row["claim_holder"],
                       leaseExpiresAt: (row["lease_expires_at"] as Double?).map { StoreClock.timestamp(Date(timeIntervalSince1970: $0)) },
                       finalDRG: row["final_drg"], codedDRG: row["coded_drg"],
                       sectionSource: SectionSource(rawValue: row["section_source"]) ?? .wholeNote,
                       topDRG: row["top_drg"], topProbability: row["top_probability"],
                       predictionCount: row["prediction_count"], inHospital: row["in_hospital"], working: working[row["id"]])
        }
    }
}

extension QueueEntry {
    /// A claimed case as `queue --claim` / `decide --claim` print it (no score columns).
    public static func claim(of record: CaseRecord) -> QueueEntry {
        QueueEntry(id: record.id, externalID: record.externalID, source: record.source, status: record.status,
                   priority: record.priority, claimHolder: record.claimHolder,
                   leaseExpiresAt: record.leaseExpiresAt.map { StoreClock.timestamp(Date(timeIntervalSince1970: $0)) },
                   finalDRG: record.finalDRG, codedDRG: record.codedDRG, sectionSource: record.sectionSource,
                   topDRG: nil, topProbability: nil, predictionCount: 0)
    }
}

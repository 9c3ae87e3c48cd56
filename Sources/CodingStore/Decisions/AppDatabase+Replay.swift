import DRGKit
import Foundation
import GRDB

/// Which decisions an auditor wants to replay (`drgcoder audit replay`).
public struct ReplayFilter: Sendable, Equatable {
    public var user: String?
    /// Inclusive lower bound on `decided_at` (an ISO 8601 prefix such as "2026-12-01").
    public var since: String?
    /// Inclusive upper bound: a date means the whole of that day.
    public var until: String?
    /// Only accept/override rows where the coder's DRG differs from the model's top DRG.
    public var disagreementsOnly: Bool

    public init(user: String? = nil, since: String? = nil, until: String? = nil, disagreementsOnly: Bool = false) {
        self.user = user; self.since = since; self.until = until; self.disagreementsOnly = disagreementsOnly
    }
}

/// One replayed decision: what the model showed at the time and what the coder chose.
public struct ReplayEntry: Codable, Sendable, Equatable {
    public var seq: Int64
    public var decidedAt: String
    public var user: String
    public var role: DecisionRole
    public var caseExternalID: String
    public var action: DecisionAction
    public var modelTopDRG: String?
    public var modelTopProbability: Double?
    /// The model identity of the prediction shown (`ModelIdentity.key`), if one was shown.
    public var modelKey: String?
    public var chosenDRG: String?
    public var reasonCode: String?
    public var note: String?
    public var reversesSeq: Int64?
    /// A later undo row reverses this one.
    public var undone: Bool
    /// For accept/override with a prediction shown: did the coder choose the model's top DRG?
    public var agrees: Bool?
    /// The ICD codes confirmed with the decision ("pdx:J189 sdx:J9601"), absent when none.
    public var confirmedCodes: String? = nil

    enum CodingKeys: String, CodingKey {
        case seq, decidedAt = "decided_at", user, role, caseExternalID = "case_external_id", action
        case modelTopDRG = "model_top_drg", modelTopProbability = "model_top_probability", modelKey = "model_key"
        case chosenDRG = "chosen_drg", reasonCode = "reason_code", note, reversesSeq = "reverses_seq", undone, agrees
        case confirmedCodes = "confirmed_codes"
    }
}

/// `audit replay`'s answer: the entries and the agreement among them.
public struct Replay: Encodable, Sendable, Equatable {
    public var entries: [ReplayEntry]
    /// Per case, by its effective decision (`CodingAgreement`), over the cases whose effective
    /// coding decision is among the entries: the one figure every view shows.
    public var agreement: CodingAgreement
    /// `agreement.cases` (kept for scripts that read the older keys).
    public var comparable: Int { agreement.cases }
    /// `agreement.agree`.
    public var agreements: Int { agreement.agree }
    /// `agreements / comparable`, nil when nothing is comparable.
    public var agreementRate: Double? { comparable == 0 ? nil : Double(agreements) / Double(comparable) }

    enum CodingKeys: String, CodingKey { case entries, agreement, comparable, agreements, agreementRate = "agreement_rate" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entries, forKey: .entries); try c.encode(agreement, forKey: .agreement)
        try c.encode(comparable, forKey: .comparable)
        try c.encode(agreements, forKey: .agreements); try c.encode(agreementRate, forKey: .agreementRate)
    }
}

extension AppDatabase {
    /// The decisions matching `filter`, in chain order, with the prediction each coder saw.
    public func replay(_ filter: ReplayFilter = ReplayFilter()) throws -> Replay {
        let since = try filter.since.map { try Self.timestampBound($0, endOfDay: false) }
        let until = try filter.until.map { try Self.timestampBound($0, endOfDay: true) }
        return try read { db in
            let undone = Set(try Int64.fetchAll(db, sql: "SELECT reverses_seq FROM decisions WHERE action = 'undo'"))
            var sql = """
                SELECT d.*, p.top_probability AS shown_probability, p.model_key AS shown_model_key
                FROM decisions d LEFT JOIN predictions p ON p.id = d.prediction_id WHERE 1
                """
            var arguments = StatementArguments()
            if let user = filter.user { sql += " AND d.user = ?"; arguments += [user] }
            if let since { sql += " AND d.decided_at >= ?"; arguments += [since] }
            if let until { sql += " AND d.decided_at <= ?"; arguments += [until] }
            sql += " ORDER BY d.seq"
            var entries: [ReplayEntry] = []
            var listed = Set<Int64>()
            for raw in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                guard let row = Self.decodeRow(raw) else { continue }
                let decisive = row.action == .accept || row.action == .override
                let agrees: Bool? = decisive && row.modelTopDRG != nil ? row.chosenDRG == row.modelTopDRG : nil
                if filter.disagreementsOnly && agrees != false { continue }
                let entry = ReplayEntry(
                    seq: row.seq, decidedAt: row.decidedAt, user: row.user, role: row.role,
                    caseExternalID: row.caseExternalID, action: row.action, modelTopDRG: row.modelTopDRG,
                    modelTopProbability: raw["shown_probability"], modelKey: raw["shown_model_key"],
                    chosenDRG: row.chosenDRG, reasonCode: row.reasonCode, note: row.note,
                    reversesSeq: row.reversesSeq, undone: undone.contains(row.seq), agrees: agrees,
                    confirmedCodes: row.confirmedCodes)
                listed.insert(row.seq)
                entries.append(entry)
            }
            let log = try DecisionRecord.fetchAll(db, sql: "SELECT * FROM decisions ORDER BY seq").map(\.codingEvent)
            return Replay(entries: entries, agreement: CodingAgreement.of(log, include: { listed.contains($0.seq) }))
        }
    }

    /// "2026-12-01" → "2026-12-01T00:00:00.000Z" (or "…T23:59:59.999Z" for an until bound);
    /// a full timestamp is kept as given.
    static func timestampBound(_ value: String, endOfDay: Bool) throws -> String {
        let parts = value.split(separator: "-")
        if value.utf8.count == 10, parts.count == 3, parts.allSatisfy({ Int($0) != nil }) {
            return value + (endOfDay ? "T23:59:59.999Z" : "T00:00:00.000Z")
        }
        guard value.utf8.count >= 16, value.contains("T") else {
            throw StoreError.invalid("'\(value)' is not a date (YYYY-MM-DD) or a UTC timestamp (YYYY-MM-DDTHH:MM…)")
        }
        return value
    }
}

import DRGKit
import Foundation
import GRDB

/// What a coder (or a script, through `drgcoder decide`) asks the log to record. The TUI and the
/// CLI build one of these and call `AppDatabase.recordDecision`, so both write the same row.
public struct DecisionRequest: Sendable, Equatable {
    public var caseID: Int64
    public var user: String
    public var role: DecisionRole
    public var action: DecisionAction
    /// The DRG chosen by an override (three digits). Ignored for other actions.
    public var overrideDRG: String?
    /// The prediction the coder was shown; `nil` means the case's latest prediction.
    public var predictionID: Int64?
    public var reasonCode: String?
    public var note: String?
    /// Time from opening the case to deciding, in milliseconds.
    public var timeSpentMilliseconds: Int64
    /// The ICD codes the coder confirmed (checked with `CaseCode.checked`); hashed into the chain.
    public var confirmedCodes: [CaseCode] = []
    /// An explicit re-code: a coded case takes a new accept / override / defer only with this set
    /// and a `reasonCode`.
    public var recode: Bool
    /// Keep (or take) the claim after the decision, with a fresh lease: the screen's undo, whose
    /// case stays open. Otherwise the decision releases the claim.
    public var holdClaim: Bool

    public init(caseID: Int64, user: String, role: DecisionRole = .coder, action: DecisionAction,
                overrideDRG: String? = nil, predictionID: Int64? = nil, reasonCode: String? = nil,
                note: String? = nil, timeSpentMilliseconds: Int64 = 0, recode: Bool = false,
                holdClaim: Bool = false) {
        self.caseID = caseID; self.user = user; self.role = role; self.action = action
        self.overrideDRG = overrideDRG; self.predictionID = predictionID; self.reasonCode = reasonCode
        self.note = note; self.timeSpentMilliseconds = timeSpentMilliseconds; self.recode = recode
        self.holdClaim = holdClaim
    }
}

extension AppDatabase {
    /// Appends one decision to the log, in one transaction with the case's new status.
    ///
    /// - accept: the model's top DRG of the shown prediction becomes the chosen DRG (there must be one);
    /// - override: `overrideDRG` (three digits, different from the model's top) is chosen;
    /// - defer: the case leaves the queue as deferred;
    /// - flag: a note to an auditor; the code stays (`CaseCoding`), and while the flag is open only
    ///   an auditor decides the case (any accept / override / defer of theirs resolves it);
    /// - undo: a compensating row pointing (`reverses_seq`) at the case's latest decision that is
    ///   not itself an undo and not already undone; the case's status becomes what the remaining
    ///   decisions say (queued if none). Undoing an undo is not supported.
    ///
    /// A coded case takes a new accept / override / defer only as an explicit re-code
    /// (`request.recode` with a reason). The case's claim is released, except by an undo of the
    /// user who holds it (the case is still open on their screen). A case claimed by someone else
    /// with a live lease is refused. `decided_at` is read inside the write transaction (`now`
    /// overrides it for tests), so the log's times follow its order. Returns the row as stored.
    @discardableResult
    public func recordDecision(_ request: DecisionRequest, now fixedNow: Date? = nil) throws -> DecisionRecord {
        let user = try StoreInput.userName(request.user)
        return try write { db in
            let now = fixedNow ?? Date()
            guard let record = try CaseRecord.fetchOne(db, key: request.caseID) else {
                throw StoreError.notFound("no case with id \(request.caseID)")
            }
            let caseDecisions = try DecisionRecord.fetchAll(
                db, sql: "SELECT * FROM decisions WHERE case_id = ? ORDER BY seq", arguments: [record.id])
            let shown: Result<PredictionRecord?, StoreError>
            do { shown = .success(try shownPrediction(db, request)) } catch let error as StoreError { shown = .failure(error) }
            let last = try String.fetchOne(db, sql: "SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1")
            let used: Int64 = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'decisions'") ?? 0
            let row = try DecisionRules.row(for: request, user: user, .init(
                record: record, caseDecisions: caseDecisions, shown: shown,
                prevHash: last ?? DecisionChain.genesisHash, nextSeq: used + 1, now: now))
            try Self.insertDecision(row, db)
            let holder = request.holdClaim ? (user: user, until: now.timeIntervalSince1970 + Self.defaultLease) : nil
            let state = DecisionRules.caseState(after: caseDecisions + [row], caseID: record.id, holder: holder)
            try db.execute(sql: """
                UPDATE cases SET status = ?, coded_drg = ?, claim_holder = ?, lease_expires_at = ? WHERE id = ?
                """, arguments: [state.status.rawValue, state.codedDRG, holder?.user, holder?.until, record.id])
            return row
        }
    }

    /// The decisions of a case that still count: not undo rows, not reversed by one. Oldest first.
    public func effectiveDecisions(caseID: Int64) throws -> [DecisionRecord] {
        try read { try effectiveDecisions($0, caseID: caseID) }
    }

    /// Every decision, in chain order.
    public func allDecisions() throws -> [DecisionRecord] {
        try read { try DecisionRecord.fetchAll($0, sql: "SELECT * FROM decisions ORDER BY seq") }
    }

    func effectiveDecisions(_ db: Database, caseID: Int64) throws -> [DecisionRecord] {
        try DecisionRecord.fetchAll(db, sql: """
            SELECT * FROM decisions
            WHERE case_id = ? AND action <> 'undo'
              AND seq NOT IN (SELECT reverses_seq FROM decisions WHERE case_id = ? AND action = 'undo')
            ORDER BY seq
            """, arguments: [caseID, caseID])
    }

    private func shownPrediction(_ db: Database, _ request: DecisionRequest) throws -> PredictionRecord? {
        if let id = request.predictionID {
            guard let prediction = try PredictionRecord.fetchOne(db, key: id), prediction.caseID == request.caseID else {
                throw StoreError.notFound("prediction \(id) does not belong to case \(request.caseID)")
            }
            return prediction
        }
        return try PredictionRecord.fetchOne(db, sql: "SELECT * FROM predictions WHERE case_id = ? ORDER BY id DESC LIMIT 1",
                                             arguments: [request.caseID])
    }

    /// Appends `row` as it is (the chain trigger checks its seq and prev_hash).
    static func insertDecision(_ row: DecisionRecord, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO decisions (seq, case_id, case_external_id, user, role, action, chosen_drg, model_top_drg,
                prediction_id, prediction_sha256, reason_code, note, time_spent_ms, decided_at, reverses_seq,
                prev_hash, hash, confirmed_codes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [row.seq, row.caseID, row.caseExternalID, row.user, row.role.rawValue,
                             row.action.rawValue, row.chosenDRG, row.modelTopDRG, row.predictionID,
                             row.predictionSHA256, row.reasonCode, row.note, row.timeSpentMilliseconds,
                             row.decidedAt, row.reversesSeq, row.prevHash, row.hash, row.confirmedCodes])
    }

    /// The status a case's decisions give it, ignoring claims (`DecisionRules.derivedStatus`).
    static func derivedStatus(_ state: CaseCoding) -> CaseStatus { DecisionRules.derivedStatus(state) }
}

/// MS-DRG codes as the store accepts them: exactly three ASCII digits ("001"–"999"; "1" is padded
/// by importers, never here).
public enum DRGCode {
    public static func isWellFormed(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } && code != "000"
    }

    /// "1" → "001", " 291 " → "291"; nil for anything that is not 1–3 digits, and for 0 (no MS-DRG is "000").
    public static func normalized(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard (1...3).contains(trimmed.utf8.count), trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              trimmed.utf8.contains(where: { $0 != 48 }) else { return nil }
        return String(repeating: "0", count: 3 - trimmed.utf8.count) + trimmed
    }
}

extension Optional where Wrapped == String {
    var nilIfBlank: String? {
        guard let self, !self.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return self
    }
}

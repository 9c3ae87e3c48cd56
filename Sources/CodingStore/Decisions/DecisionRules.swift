import DRGKit
import Foundation

/// The rules of the decision log, as pure functions of what a backend read inside its write
/// transaction, so the SQLite and the PostgreSQL store refuse and record exactly the same things.
/// A backend: locks the chain (SQLite: the write transaction; PostgreSQL: an advisory transaction
/// lock), reads the case, its decisions and the chain's head, calls `row(for:…)`, inserts the row,
/// and writes `caseState(after:…)` back to the case.
public enum DecisionRules {
    /// What a backend read for one request.
    public struct Inputs: Sendable {
        public var record: CaseRecord
        /// Every decision of the case, in seq order.
        public var caseDecisions: [DecisionRecord]
        /// The prediction the coder was shown (the request's, or the case's latest), or the error
        /// looking it up gave; asked for only by actions that show one.
        public var shown: Result<PredictionRecord?, StoreError>
        /// The chain's last hash (genesis when empty) and the seq the new row gets.
        public var prevHash: String
        public var nextSeq: Int64
        public var now: Date

        public init(record: CaseRecord, caseDecisions: [DecisionRecord], shown: Result<PredictionRecord?, StoreError>,
                    prevHash: String, nextSeq: Int64, now: Date) {
            self.record = record; self.caseDecisions = caseDecisions; self.shown = shown
            self.prevHash = prevHash; self.nextSeq = nextSeq; self.now = now
        }
    }

    /// The row `request` appends (hash computed), or the refusal: a live claim of someone else, a
    /// coder deciding a flagged case, a new coding of a coded case that is not a re-code with a
    /// reason, an accept without a prediction, an override to the model's own DRG, an undo with
    /// nothing to undo or of someone else's flag.
    public static func row(for request: DecisionRequest, user: String, _ inputs: Inputs) throws -> DecisionRecord {
        let record = inputs.record
        if let holder = record.claimHolder, holder != user, let lease = record.leaseExpiresAt,
           lease > inputs.now.timeIntervalSince1970 {
            throw StoreError.conflict("case \(record.externalID) is being coded by \(holder)")
        }
        try checkAllowed(request, on: record, current: coding(inputs.caseDecisions, caseID: record.id))
        var chosenDRG: String?
        var shown: PredictionRecord?
        var reverses: Int64?
        switch request.action {
        case .accept:
            shown = try inputs.shown.get()
            guard let shown else {
                throw StoreError.invalid("case \(record.externalID) has no prediction to accept; score it or override")
            }
            chosenDRG = shown.topDRG
        case .override:
            guard let drg = request.overrideDRG, DRGCode.isWellFormed(drg) else {
                throw StoreError.invalid("an override needs a three-digit DRG such as 291")
            }
            shown = try inputs.shown.get()
            if let shown, shown.topDRG == drg {
                throw StoreError.invalid("DRG \(drg) is the model's top DRG; record it as an accept")
            }
            chosenDRG = drg
        case .defer, .flag:
            shown = try inputs.shown.get()
        case .undo:
            guard let target = effective(inputs.caseDecisions).last else {
                throw StoreError.invalid("case \(record.externalID) has no decision to undo")
            }
            if target.action == .flag && target.user != user && request.role != .auditor {
                throw StoreError.conflict("case \(record.externalID) is flagged by \(target.user); only they or an auditor can withdraw the flag")
            }
            reverses = target.seq
        }
        var row = DecisionRecord(
            seq: inputs.nextSeq, caseID: record.id, caseExternalID: record.externalID, user: user,
            role: request.role, action: request.action, chosenDRG: chosenDRG,
            modelTopDRG: shown?.topDRG, predictionID: shown?.id, predictionSHA256: shown?.predictionSHA256,
            reasonCode: request.reasonCode.nilIfBlank, note: request.note.nilIfBlank,
            timeSpentMilliseconds: max(0, request.timeSpentMilliseconds),
            decidedAt: StoreClock.timestamp(inputs.now), reversesSeq: reverses,
            prevHash: inputs.prevHash, hash: "")
        row.confirmedCodes = CaseCode.chainText(request.confirmedCodes)
        row.hash = DecisionChain.hash(of: row, after: row.prevHash)
        return row
    }

    /// The case's cached columns after its decisions (`caseDecisions` including the new row): status
    /// and coded DRG from `CaseCoding`, the claim released, or kept by `holder` (an undo on a case
    /// still open) until the lease time.
    public static func caseState(after caseDecisions: [DecisionRecord], caseID: Int64,
                                 holder: (user: String, until: Double)?) -> (status: CaseStatus, codedDRG: String?) {
        let state = coding(caseDecisions, caseID: caseID)
        var status = derivedStatus(state)
        if holder != nil && status == .queued { status = .inProgress }
        return (status, state.codedDRG)
    }

    /// The decisions that still count: not undo rows, not reversed by one. Oldest first.
    public static func effective(_ caseDecisions: [DecisionRecord]) -> [DecisionRecord] {
        let reversed = Set(caseDecisions.filter { $0.action == .undo }.compactMap(\.reversesSeq))
        return caseDecisions.filter { $0.action != .undo && !reversed.contains($0.seq) }
    }

    /// Where the log leaves one case (`CaseCoding.fold` of its rows).
    public static func coding(_ caseDecisions: [DecisionRecord], caseID: Int64) -> CaseCoding {
        CaseCoding.fold(caseDecisions.map(\.codingEvent), caseID: caseID)
    }

    /// The status a case's decisions give it, ignoring claims: coded / deferred / flagged, or queued.
    public static func derivedStatus(_ state: CaseCoding) -> CaseStatus {
        if state.flagged { return .flagged }
        if state.codedDRG != nil { return .coded }
        return state.deferred ? .deferred : .queued
    }

    /// Refuses what the case's state does not allow: a coder deciding a flagged case (only an
    /// auditor resolves a flag; the flag's own undo is allowed), and a new coding of a coded case
    /// that is not an explicit re-code with a reason.
    private static func checkAllowed(_ request: DecisionRequest, on record: CaseRecord, current: CaseCoding) throws {
        if request.action == .undo { return }
        if current.flagged && request.role != .auditor {
            throw StoreError.conflict("case \(record.externalID) is flagged for an auditor; only an auditor resolves the flag")
        }
        let recoding = request.action == .accept || request.action == .override || request.action == .defer
        if let coded = current.codedDRG, recoding, !current.flagged {
            guard request.recode else {
                throw StoreError.conflict("case \(record.externalID) is already coded (DRG \(coded)); re-code it explicitly, with a reason")
            }
            guard request.reasonCode.nilIfBlank != nil else {
                throw StoreError.invalid("a re-code of case \(record.externalID) needs a reason")
            }
        }
    }
}

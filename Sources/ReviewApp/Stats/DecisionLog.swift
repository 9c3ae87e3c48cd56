import DRGKit
import Foundation

/// Reading the append-only log: which decisions still count after undos.
public enum DecisionLog {
    /// The seqs that an undo reversed.
    public static func reversed(_ log: [LoggedDecision]) -> Set<Int64> {
        Set(log.compactMap { $0.kind == .undo ? $0.reverses : nil })
    }

    /// Decisions that still count (not undos, not reversed), in log order.
    public static func effective(_ log: [LoggedDecision]) -> [LoggedDecision] {
        let gone = reversed(log)
        return log.filter { $0.kind != .undo && !gone.contains($0.seq) }
    }

    /// The coding decision (accept or override) that codes each case now (`CaseCoding`: a later
    /// defer uncodes it, a flag does not).
    public static func codings(_ log: [LoggedDecision]) -> [CaseID: LoggedDecision] {
        let bySeq = Dictionary(log.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        return CaseCoding.foldAll(log.map(\.codingEvent)).compactMapValues { $0.coding.flatMap { bySeq[$0.seq] } }
    }

    /// Agreement per case by its effective decision: the one definition (`CodingAgreement`).
    public static func agreement(_ log: [LoggedDecision]) -> CodingAgreement {
        CodingAgreement.of(log.map(\.codingEvent))
    }

    /// The cases `user` coded today (UTC days, as the summary counts them) that are still coded by them.
    public static func codedToday(_ log: [LoggedDecision], by user: String, now: Date) -> Set<CaseID> {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? utc.timeZone
        return Set(codings(log).values.filter { $0.user == user && utc.isDate($0.decidedAt, inSameDayAs: now) }.map(\.caseID))
    }

    /// The decision on `caseID` that an undo by `user` would reverse (the latest effective one), if any.
    public static func undoable(_ log: [LoggedDecision], caseID: CaseID) -> LoggedDecision? {
        effective(log).last { $0.caseID == caseID }
    }
}

extension LoggedDecision {
    /// The row as `CaseCoding` / `CodingAgreement` read it.
    public var codingEvent: CodingEvent {
        CodingEvent(seq: seq, caseID: caseID, action: CodingEvent.Action(rawValue: kind.rawValue) ?? .flag,
                    chosenDRG: chosenDRG, modelTopDRG: modelTopDRG, reverses: reverses)
    }
}

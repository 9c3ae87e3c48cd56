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

    /// The coding decision (accept or override) that counts for each case: the latest effective one.
    public static func codings(_ log: [LoggedDecision]) -> [CaseID: LoggedDecision] {
        var out: [CaseID: LoggedDecision] = [:]
        for d in effective(log) where d.kind == .accept || d.kind == .override { out[d.caseID] = d }
        return out
    }

    /// The decision on `caseID` that an undo by `user` would reverse (the latest effective one), if any.
    public static func undoable(_ log: [LoggedDecision], caseID: CaseID) -> LoggedDecision? {
        effective(log).last { $0.caseID == caseID }
    }
}

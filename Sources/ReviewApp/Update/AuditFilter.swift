import Foundation

/// Which log rows the auditor's filters admit.
public enum AuditFilter {
    public static func rows(_ state: AppState, calendar: Calendar = Calendar(identifier: .gregorian)) -> [LoggedDecision] {
        var utc = calendar
        utc.timeZone = TimeZone(identifier: "UTC") ?? utc.timeZone
        let a = state.audit
        return state.decisions.filter { d in
            if let u = a.userFilter, d.user != u { return false }
            switch a.dateRange {
            case .all: break
            case .today: if !utc.isDate(d.decidedAt, inSameDayAs: state.now) { return false }
            case .week: if state.now.timeIntervalSince(d.decidedAt) > 7 * 86_400 { return false }
            }
            if a.disagreementsOnly && !(d.kind == .override && d.modelTopDRG != nil) { return false }
            if a.flaggedOnly && d.kind != .flag { return false }
            return true
        }
    }

    public static func selected(_ state: AppState) -> LoggedDecision? {
        let r = rows(state)
        return r.isEmpty ? nil : r[min(max(0, state.audit.cursor), r.count - 1)]
    }
}

import Foundation

/// The live queue and store outages: what `queueChanged`, `storeUnreachable` and the retry do.
extension ReviewUpdate {
    /// The store changed: reload what this view shows (no polling while the feed is live).
    static func queueChanged(_ state: AppState) -> [Effect] {
        state.view == .code ? [.loadQueue] : [.loadDecisions]
    }

    /// The store is out of reach. The decision that failed (if any) is kept; nothing the coder
    /// typed is touched (the open form, the search stay as they are); the next try is scheduled.
    /// Only one decision waits: a second one that was already on its way when the first failed
    /// (made before the screen knew) is not kept, and the flash says so — never dropped in silence.
    static func unreachable(_ state: inout AppState, _ why: String, decision: DecisionDraft?) {
        if let decision {
            if state.pendingDecision == nil {
                state.pendingDecision = PendingDecision(draft: decision, afterSeq: state.chain?.head?.seq)
            } else if state.pendingDecision?.draft != decision {
                state.flash = Flash("Not recorded: \(decision.kind.rawValue) of case \(decision.caseID) — the server is out of reach "
                                    + "and an earlier decision is waiting; make it again when the server is back", role: .error)
            }
        }
        let attempts = (state.outage?.attempts ?? 0) + 1
        state.outage = StoreOutage(message: why, attempts: attempts,
                                   retryAt: state.now.addingTimeInterval(StoreOutage.backoff(after: attempts)))
    }

    /// On a tick: when the next try is due, probe the store — with the waiting decision, else a queue load.
    static func retryIfDue(_ state: inout AppState) -> [Effect] {
        guard let due = state.outage?.retryAt, state.now >= due else { return [] }
        return retryNow(&state)
    }

    /// Probes the store now (the next try moves one backoff step further out).
    static func retryNow(_ state: inout AppState) -> [Effect] {
        guard var outage = state.outage, !outage.probing else { return [] }
        outage.retryAt = state.now.addingTimeInterval(StoreOutage.backoff(after: outage.attempts + 1))
        outage.probing = true
        state.outage = outage
        if let pending = state.pendingDecision { return [.retryRecord(pending)] }
        return [.loadQueue]
    }

    /// The store answered a try with a refusal (not an outage): the outage is over and the waiting
    /// decision, refused, is gone (the flash says why).
    static func answeredWithRefusal(_ state: inout AppState) {
        state.pendingDecision = nil
        state.outage = nil
    }

    /// Something the store answered: the outage is over; a waiting decision goes now.
    static func storeAnswered(_ state: inout AppState) -> [Effect] {
        guard state.outage != nil else { return [] }
        state.outage = nil
        if let pending = state.pendingDecision {
            state.flash = Flash("The server is back: recording the kept decision", role: .warning)
            return [.retryRecord(pending)]
        }
        state.flash = Flash("The server is back", role: .success)
        return []
    }

    /// What the first q says while a decision waits for the server.
    static let quitLosesPending = "A decision is waiting for the server: q again quits without recording it"

    /// The header's line during an outage: what it means for the coder first (a narrow header
    /// cuts the end), then the store's reason.
    public static func outageLine(_ state: AppState) -> String? {
        guard let outage = state.outage else { return nil }
        let wait = max(0, Int(outage.retryAt.timeIntervalSince(state.now).rounded(.up)))
        let kept = state.pendingDecision == nil ? "" : ", decision kept"
        return "Store unreachable\(kept), retrying in \(wait) s — \(outage.message)"
    }
}

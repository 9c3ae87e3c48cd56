import DRGKit
import Foundation
import TerminalUI

/// What results from the store and the model do to the state.
extension ReviewUpdate {
    static func receive(_ state: inout AppState, _ message: Message, _ env: ReviewEnvironment) -> [Effect] {
        switch message {
        case .queueLoaded(var queue):
            for i in queue.indices { queue[i].atStake = QueueSort.atStake(queue[i], catalog: env.catalog) }
            state.queue = queue
            state.queueLoaded = true
            state.queueCursor = clamp(state.queueCursor, state.visibleQueue.count)
            if let s = state.session, let row = queue.first(where: { $0.id == s.id }) { state.session?.detail.summary = row }
            return storeAnswered(&state) + scoringEffects(state, env)
        case .queueChanged:
            // During an outage the feed's reconnection is news that the server is back: try now.
            return state.outage == nil ? queueChanged(state) : retryNow(&state)
        case .storeUnreachable(let why, let decision):
            unreachable(&state, why, decision: decision)
        case .pendingRefused(let why):
            answeredWithRefusal(&state)
            state.flash = Flash("Not recorded: \(why)", role: .error)
        case .decisionsLoaded(let log):
            state.decisions = log
            if state.view == .audit { return auditSelectionChanged(&state) }
        case .caseOpened(let detail):
            if state.session?.id != detail.summary.id {
                state.session = CaseSession(detail: detail, openedAt: state.now)
            }
            state.focus = .caseView
            if let i = state.visibleQueue.firstIndex(where: { $0.id == detail.summary.id }) { state.queueCursor = i }
            return [.loadQueue]
        case .claimLost(let id):
            if state.session?.id == id {
                state.flash = Flash("Your claim on this case lapsed; another coder may be working it", role: .error)
            }
        case .nothingToClaim:
            // Deferred cases come back: with nothing queued, `n` opens the oldest deferred case that
            // nobody holds (not the one just left), under a claim.
            if state.view == .code, let back = state.queue.filter({ $0.status == .deferred && ($0.claimHolder == nil || $0.claimHolder == state.user) && $0.id != state.session?.id })
                .min(by: { $0.id < $1.id }) {
                state.flash = Flash("Nothing queued: back to deferred \(back.externalID)", role: .warning)
                return [.openCase(back.id, claim: true)]
            }
            state.flash = Flash("Nothing left to claim in this queue", role: .warning)
        case .recorded(let d):
            if state.pendingDecision?.draft.isRecorded(as: d) == true { state.pendingDecision = nil; state.outage = nil }
            // A second retry queued behind the one that recorded it finds the same row: shown once.
            if state.decisions.contains(where: { $0.seq == d.seq }) { return [] }
            state.decisions.append(d)
            if state.session?.id == d.caseID {   // the open case's status now, before the queue reloads
                let coding = CaseCoding.fold(state.decisions.map(\.codingEvent), caseID: d.caseID)
                state.session?.detail.summary.status = coding.flagged ? .flagged
                    : coding.codedDRG != nil ? .coded : coding.deferred ? .deferred : .inProgress
                state.session?.detail.summary.codedDRG = coding.codedDRG
                state.session?.detail.summary.claimHolder = d.kind == .undo ? state.user : nil   // as the store left it
            }
            state.recordedCount += 1
            state.flash = Flash(describe(d), role: .success)
            // "Move on after a decision" (config): the next case opens as if `n` were pressed.
            if env.settings.advanceAfterDecision, d.kind != .undo, state.view == .code, state.session?.id == d.caseID {
                return [.loadQueue, .claimNext(leaving: d.caseID)]
            }
            return [.loadQueue]
        case .scoreProgress(let id, let p):
            state.scoring[id] = .running(progress: p)
        case .scored(let id, let shown):
            state.scoring[id] = nil
            if let i = state.queue.firstIndex(where: { $0.id == id }) {
                state.queue[i].topDRG = shown.top?.drg
                state.queue[i].confidence = shown.top?.probability
                state.queue[i].atStake = QueueSort.atStake(state.queue[i], catalog: env.catalog)
            }
            if state.session?.id == id, state.session?.prediction == nil {
                state.session?.prediction = shown
                state.session?.rankCursor = 0
            }
        case .scoreFailed(let id, let why):
            state.scoring[id] = .failed(why)
            if state.session?.id == id { state.flash = Flash("scoring failed: \(why)", role: .error) }
        case .scoreCancelled(let id):
            state.scoring[id] = nil
        case .occluded(let id, let drg, let spans):
            guard state.session?.id == id, state.session?.occlusion?.drg == drg else { return [] }
            state.session?.occlusion = (drg, spans)
            state.session?.spanCursor = nil
            state.flash = Flash("Occlusion for DRG \(drg): \(spans.count) sentences marked", role: .success)
        case .occlusionFailed(let id, let why):
            guard state.session?.id == id else { return [] }
            state.session?.occlusion = nil
            state.flash = Flash("sentence occlusion failed: \(why)", role: .error)
        case .auditCaseLoaded(let detail, let shown):
            state.audit.detail = detail
            state.audit.shown = shown
        case .chainVerified(let chain):
            state.chain = chain
            if !chain.verified && state.view == .code {
                state.flash = Flash("The decision log fails verification (\(chain.message)): nothing will be recorded", role: .error)
            }
        case .recordRefused(let chain):
            if state.outage != nil { answeredWithRefusal(&state) }   // a kept decision refused by the check
            state.chain = chain
            state.flash = notRecorded(chain)
        case .exported(let count, let path):
            state.train.lastExport = "\(count) rows → \(path)"
            if state.view == .audit { state.audit.lastExport = "\(count) findings → \(path)" }
            state.flash = Flash("Exported \(count) rows to \(path)", role: .success)
        case .notesMatched(let query, let ids):
            guard query == state.search else { return [] }     // the coder typed on: a newer answer comes
            let selected = state.selectedCase?.id
            state.noteSearchQuery = query
            state.noteSearchIDs = ids
            state.queueCursor = state.visibleQueue.firstIndex { $0.id == selected } ?? 0
        case .diagnosesFound, .whatIfAnswered:
            receiveWhatIf(&state, message)
        case .failed(let why):
            state.flash = Flash(why, role: .error)
            state.outage?.probing = false   // a probe that failed otherwise: the next one still runs
        }
        return []
    }

    /// The cases to score now: the open case if unscored, then the next few unscored open cases.
    static func scoringEffects(_ state: AppState, _ env: ReviewEnvironment) -> [Effect] {
        guard state.modelName != nil, state.view == .code else { return [] }
        var wanted: [CaseID] = []
        if let s = state.session, s.prediction == nil { wanted.append(s.id) }
        let start = state.queue.firstIndex { $0.id == state.session?.id } ?? -1
        let after = state.queue.enumerated().filter { $0.offset > start }.map(\.element)
            + state.queue.prefix(max(0, start))
        for c in after where !c.isScored && (c.status == .queued || c.status == .inProgress) && !wanted.contains(c.id) {
            if wanted.count >= env.prefetch + 1 { break }
            wanted.append(c.id)
        }
        return [.wantScores(wanted)]
    }

    static func describe(_ d: LoggedDecision) -> String {
        if let finding = d.finding { return "Finding recorded: \(finding) · DRG \(d.chosenDRG ?? "?") for \(d.caseExternalID)" }
        switch d.kind {
        case .accept: return "Accepted DRG \(d.chosenDRG ?? "?") for \(d.caseExternalID)"
        case .override: return "Overrode to DRG \(d.chosenDRG ?? "?") for \(d.caseExternalID)"
        case .defer: return "Deferred \(d.caseExternalID)"
        case .flag: return "Flagged \(d.caseExternalID) for an auditor"
        case .undo: return "Undid decision #\(d.reverses.map(String.init) ?? "?") on \(d.caseExternalID)"
        }
    }
}

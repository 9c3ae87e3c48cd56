import DRGKit
import Foundation
import TerminalUI

/// What each action does to the state (and which effects it asks for).
extension ReviewUpdate {
    static func perform(_ action: Action, _ state: inout AppState, _ env: ReviewEnvironment) -> [Effect] {
        switch action {
        case .help:
            state.modal = state.modal == .help ? nil : .help
        case .quit:
            // A decision kept through an outage would be lost: the first q says so, the second quits.
            if state.pendingDecision != nil, state.flash?.text != quitLosesPending {
                state.flash = Flash(quitLosesPending, role: .warning)
                return []
            }
            state.quitRequested = true
            // Give the open case back (the loop does it again for signals; releasing twice is harmless).
            return [.wantScores([])] + (state.session.map { [Effect.releaseClaim($0.id)] } ?? [])
        case .switchPane:
            state.focus = state.focus == .queue && state.session != nil ? .caseView : .queue

        case .queueDown: state.queueCursor = clamp(state.queueCursor + 1, state.visibleQueue.count)
        case .queueUp: state.queueCursor = clamp(state.queueCursor - 1, state.visibleQueue.count)
        case .queueTop: state.queueCursor = 0
        case .queueBottom: state.queueCursor = max(0, state.visibleQueue.count - 1)
        case .openCase:
            guard let c = state.selectedCase else { return [] }
            // The open case again: just focus it while the coder still holds it (after a decision
            // released the claim, opening it again claims it again).
            if state.session?.id == c.id && (c.claimHolder == state.user || c.status == .coded) { state.focus = .caseView; return [] }
            // Deferred and flagged cases are worked under a claim too; a coded case opens to be read
            // (a re-code claims nothing: the store refuses it while someone else holds the case).
            return [.openCase(c.id, claim: c.status != .coded)]
        case .claimNext:
            return [.claimNext(leaving: state.session?.id)]
        case .cycleFilter:
            let all = StatusFilter.allCases
            state.statusFilter = all[((all.firstIndex(of: state.statusFilter) ?? 0) + 1) % all.count]
            state.queueCursor = 0
        case .startSearch:
            state.searching = true
            state.search = ""                                  // a new search, not more of the last one
            if state.view == .code { state.focus = .queue }   // from an open case too: "/ 1004 Enter" opens N-1004
        case .cycleSort:
            let all = QueueSort.allCases
            let selected = state.selectedCase?.id
            state.sort = all[((all.firstIndex(of: state.sort) ?? 0) + 1) % all.count]
            state.queueCursor = state.visibleQueue.firstIndex { $0.id == selected } ?? 0

        case .rankDown:
            if let s = state.session { state.session?.rankCursor = clamp(s.rankCursor + 1, s.topTen.count) }
        case .rankUp:
            if let s = state.session { state.session?.rankCursor = clamp(s.rankCursor - 1, s.topTen.count) }
        case .acceptTop:
            guard let s = state.session, let top = s.prediction?.top else { return [] }
            return decide(&state, draft(state, s, kind: .accept, drg: top.drg))
        case .acceptSelected:
            guard let s = state.session, let top = s.prediction?.top, let chosen = s.selectedDRG else { return [] }
            if chosen.drg == top.drg { return decide(&state, draft(state, s, kind: .accept, drg: chosen.drg)) }
            // Taking another row is an override: the same reasons form as `o` (one reason rule).
            state.modal = .reasons(reasonForm(state, kind: .override, drg: chosen.drg))
        case .override:
            let suggestions = (state.session?.topTen ?? []).compactMap { env.catalog.entry($0.drg) }
            state.modal = .picker(PickerState(query: "", results: suggestions))
        case .deferCase:
            guard state.session != nil else { return [] }
            state.modal = .reasons(reasonForm(state, kind: .defer))
        case .flag:
            state.modal = .reasons(ReasonForm(kind: .flag))
        case .undo:
            guard let s = state.session else { return [] }
            return decide(&state, draft(state, s, kind: .undo))
        case .noteDown, .noteUp:
            let step = max(1, ReviewLayout.notePageRows(state) - 1) * (action == .noteDown ? 1 : -1)
            // The last page ends at the note's last line: scrolling stops there.
            let last = max(0, ReviewLayout.noteLineCount(state) - ReviewLayout.notePageRows(state))
            if state.view == .audit {
                state.audit.noteScroll = min(max(0, state.audit.noteScroll + step), last)
            } else if state.session != nil {
                let current = state.session?.noteScroll ?? 0
                state.session?.noteScroll = min(max(0, current + step), last)
            }
        case .nextSpan, .previousSpan:
            guard let s = state.session, !s.spans.isEmpty else { return [] }
            let n = s.spans.count
            let next = s.spanCursor.map { (($0 + (action == .nextSpan ? 1 : -1)) % n + n) % n } ?? (action == .nextSpan ? 0 : n - 1)
            state.session?.spanCursor = next
            state.session?.showFullNote = false
            if let line = ReviewLayout.noteLine(ofScalarOffset: s.spans[next].start, state) {
                state.session?.noteScroll = max(0, line - 2)
            }
        case .toggleFullNote:
            state.session?.showFullNote.toggle()
            state.session?.noteScroll = 0
        case .zoomNote:
            state.session?.noteZoomed.toggle()
        case .occlude:
            guard let s = state.session, let drg = s.selectedDRG?.drg else { return [] }
            state.session?.occlusion = (drg, nil)
            state.flash = Flash("Sentence occlusion for DRG \(drg): one model run per sentence…", role: .muted)
            return [.occlude(s.id, drg: drg, text: s.detail.sectionText)]
        case .closeCase:
            state.focus = .queue
        case .whatIf:
            return openWhatIf(&state)
        case .whatIfToggle:
            guard case .whatIf(var panel) = state.modal else { return [] }
            let effects = toggleWhatIf(&panel)
            state.modal = .whatIf(panel)
            return effects

        case .pickerDown, .pickerUp:
            if case .picker(var p) = state.modal {
                p.cursor = clamp(p.cursor + (action == .pickerDown ? 1 : -1), p.results.count)
                state.modal = .picker(p)
            } else if case .whatIf(var panel) = state.modal {
                panel.cursor = clamp(panel.cursor + (action == .pickerDown ? 1 : -1), panel.rows.count + panel.matches.count)
                state.modal = .whatIf(panel)
            }
        case .reasonDown, .reasonUp:
            if case .reasons(var f) = state.modal {
                f.cursor = clamp(f.cursor + (action == .reasonDown ? 1 : -1), ReasonCode.all.count)
                state.modal = .reasons(f)
            }
        case .toggleReasonAtCursor:
            if case .reasons(let f) = state.modal { return perform(.toggleReason(f.cursor), &state, env) }
        case .toggleReason(let i):
            if case .reasons(var f) = state.modal, ReasonCode.all.indices.contains(i) {
                let code = ReasonCode.all[i].code
                if let at = f.chosen.firstIndex(of: code) { f.chosen.remove(at: at) } else { f.chosen.append(code) }
                f.cursor = i
                state.modal = .reasons(f)
            }
        case .switchField:
            if case .reasons(var f) = state.modal { f.editingNote.toggle(); state.modal = .reasons(f) }
        case .choose:
            return choose(&state, env)
        case .cancel:
            if state.searching { state.searching = false; state.search = "" } else { state.modal = nil }
        case .deleteBackward:
            switch state.modal {
            case .picker(var p):
                if !p.query.isEmpty { p.query.removeLast() }
                p.results = p.query.isEmpty ? (state.session?.topTen ?? []).compactMap { env.catalog.entry($0.drg) } : env.catalog.search(p.query, limit: 50)
                p.cursor = 0
                state.modal = .picker(p)
            case .reasons(var f):
                if !f.note.isEmpty { f.note.removeLast() }
                state.modal = .reasons(f)
            case .whatIf(var panel):
                guard !panel.query.isEmpty else { return [] }
                let effects = editWhatIfQuery(&panel) { $0.removeLast() }
                state.modal = .whatIf(panel)
                return effects
            default:
                if state.searching, !state.search.isEmpty { state.search.removeLast(); return noteSearch(state) }
            }

        case .auditNext, .auditPrevious:
            let rows = AuditFilter.rows(state)
            guard !rows.isEmpty else { return [] }
            state.audit.cursor = clamp(state.audit.cursor + (action == .auditNext ? 1 : -1), rows.count)
            return auditSelectionChanged(&state)
        case .auditFilterUser:
            let users = Array(Set(state.decisions.map(\.user))).sorted()
            if let current = state.audit.userFilter, let i = users.firstIndex(of: current) {
                state.audit.userFilter = i + 1 < users.count ? users[i + 1] : nil
            } else {
                state.audit.userFilter = users.first
            }
            state.audit.cursor = 0
            return auditSelectionChanged(&state)
        case .auditFilterDate:
            let all = AuditState.DateRange.allCases
            state.audit.dateRange = all[((all.firstIndex(of: state.audit.dateRange) ?? 0) + 1) % all.count]
            state.audit.cursor = 0
            return auditSelectionChanged(&state)
        case .auditDisagreements:
            state.audit.disagreementsOnly.toggle(); state.audit.cursor = 0
            return auditSelectionChanged(&state)
        case .auditFlagged:
            state.audit.flaggedOnly.toggle(); state.audit.cursor = 0
            return auditSelectionChanged(&state)
        case .verifyChain:
            return [.verifyChain]
        case .auditAgree:
            guard let d = AuditFilter.selected(state), d.chosenDRG != nil else { return [] }
            state.modal = .reasons(findingForm(d, drg: d.chosenDRG, agree: true))
        case .auditDisagree:
            guard let d = AuditFilter.selected(state), let drg = d.chosenDRG else { return [] }
            // The picker starts on the family of the DRG audited (the usual disagreement is its CC/MCC).
            let family = env.catalog.siblings(of: drg)
            let top = d.modelTopDRG.flatMap(env.catalog.entry).map { [$0] } ?? []
            state.modal = .picker(PickerState(query: "", results: family + top.filter { t in !family.contains { $0.code == t.code } }))
        case .exportFindings:
            let stamp = Int(state.now.timeIntervalSince1970)
            return [.exportFindings(to: env.exportDirectory.appendingPathComponent("drgcoder-findings-\(stamp).csv"))]

        case .trainDown: state.train.cursor += 1
        case .trainUp: state.train.cursor = max(0, state.train.cursor - 1)
        case .cycleExportFormat:
            if !env.exportFormats.isEmpty { state.train.formatIndex = (state.train.formatIndex + 1) % env.exportFormats.count }
        case .toggleCorrectionsOnly:
            state.train.correctionsOnly.toggle()
        case .export:
            guard !env.exportFormats.isEmpty else { state.flash = Flash("this store has no export formats", role: .error); return [] }
            let format = env.exportFormats[state.train.formatIndex % env.exportFormats.count]
            let stamp = Int(state.now.timeIntervalSince1970)
            let ext = format.hasSuffix("csv") ? "csv" : "jsonl"
            let url = env.exportDirectory.appendingPathComponent("drgcoder-\(format)-\(stamp).\(ext)")
            return [.export(format: format, correctionsOnly: state.train.correctionsOnly, to: url)]
        }
        return []
    }

    static func choose(_ state: inout AppState, _ env: ReviewEnvironment) -> [Effect] {
        if state.searching && state.view == .audit {
            // Jump to the first decision on a case whose id holds what was typed.
            state.searching = false
            let needle = state.search.lowercased()
            state.search = ""
            guard let i = AuditFilter.rows(state).firstIndex(where: { $0.caseExternalID.lowercased().contains(needle) }) else {
                state.flash = Flash("no decision on a case matching \"\(needle)\"", role: .warning)
                return []
            }
            state.audit.cursor = i
            return auditSelectionChanged(&state)
        }
        if state.searching {
            // Enter ends the search and opens the case under the cursor: "/ 1004 Enter" opens N-1004.
            state.searching = false
            return state.selectedCase == nil ? [] : perform(.openCase, &state, env)
        }
        switch state.modal {
        case .picker(let p) where state.view == .audit:
            guard let entry = p.selected, let d = AuditFilter.selected(state) else { state.modal = nil; return [] }
            state.modal = .reasons(findingForm(d, drg: entry.code, agree: entry.code == d.chosenDRG))
        case .picker(let p):
            guard let entry = p.selected, let s = state.session else { state.modal = nil; return [] }
            if entry.code == s.prediction?.top?.drg {
                state.modal = nil
                return decide(&state, draft(state, s, kind: .accept, drg: entry.code))
            }
            // Overriding a coded case is a re-code: the same form, which then needs a reason.
            state.modal = .reasons(reasonForm(state, kind: .override, drg: entry.code))
        case .reasons(let f) where f.finding != nil:
            if let missing = ReasonForm.missingReason(f, rule: env.settings.reasonRule) {
                state.flash = Flash(missing, role: .warning)
                return []
            }
            state.modal = nil
            return decide(&state, findingDraft(state, f))
        case .reasons(let f):
            guard let s = state.session else { state.modal = nil; return [] }
            if let missing = ReasonForm.missingReason(f, rule: env.settings.reasonRule) {
                state.flash = Flash(missing, role: .warning)
                return []
            }
            state.modal = nil
            var d = draft(state, s, kind: f.kind, drg: f.drg)
            d.reasons = f.chosen
            d.note = f.note.isEmpty ? nil : f.note
            d.recode = f.recode
            return decide(&state, d)
        default:
            state.modal = nil
        }
        return []
    }

    /// The one way a decision leaves the screen: refused while the log fails verification (and the
    /// `.record` effect checks the log again, from the last verified row, before it writes); a new
    /// coding of a coded case first asks for a re-code reason (the reasons form, marked re-code).
    static func decide(_ state: inout AppState, _ d: DecisionDraft) -> [Effect] {
        if state.pendingDecision != nil {
            state.flash = Flash("A decision is waiting for the server: it is recorded first, then this one can be", role: .warning)
            return []
        }
        if let chain = state.chain, !chain.verified {
            state.flash = notRecorded(chain)
            return []
        }
        let coded = state.session?.detail.summary.status == .coded
        if coded && !d.recode && [.accept, .override, .defer].contains(d.kind) {
            state.modal = .reasons(ReasonForm(kind: d.kind, drg: d.drg, recode: true))
            state.flash = Flash("This case is coded: choose why it is re-coded, then Enter", role: .warning)
            return []
        }
        return [.record(d)]
    }

    /// The form an auditor's finding goes through (a note; reasons when they disagree).
    static func findingForm(_ audited: LoggedDecision, drg: String?, agree: Bool) -> ReasonForm {
        var form = ReasonForm(kind: drg == audited.modelTopDRG ? .accept : .override, drg: drg)
        form.finding = AuditFinding(audited: audited, agree: agree)
        return form
    }

    /// A finding as a decision: the auditor's accept or override of the case (the DRG they agree with
    /// or their own), shown the same prediction as the decision audited, its first reason AUDIT-AGREE or
    /// AUDIT-DISAGREE. It re-codes a coded case (the store's rule: an explicit re-code with a reason).
    static func findingDraft(_ state: AppState, _ f: ReasonForm) -> DecisionDraft {
        let audited = f.finding!.audited   // only called for forms with a finding
        var d = DecisionDraft(caseID: audited.caseID, user: state.user, kind: f.kind, drg: f.drg, predictionID: audited.predictionID,
                              reasons: [f.finding!.agree ? ReasonCode.auditAgree : ReasonCode.auditDisagree] + f.chosen,
                              note: f.note.isEmpty ? nil : f.note)
        d.role = .auditor
        d.recode = true
        return d
    }

    /// The reasons form for a decision on the open case (a re-code when the case is coded).
    static func reasonForm(_ state: AppState, kind: DecisionKind, drg: String? = nil) -> ReasonForm {
        ReasonForm(kind: kind, drg: drg, recode: state.session?.detail.summary.status == .coded)
    }

    /// What the coder sees when a decision is refused on a broken log.
    static func notRecorded(_ chain: ChainState) -> Flash {
        Flash("Not recorded: the decision log fails verification (\(chain.message)); tell an auditor", role: .error)
    }

    static func draft(_ state: AppState, _ s: CaseSession, kind: DecisionKind, drg: String? = nil) -> DecisionDraft {
        let ms = Int64(max(0, state.now.timeIntervalSince(s.openedAt)) * 1000)
        return DecisionDraft(caseID: s.id, user: state.user, kind: kind, drg: drg, predictionID: s.prediction?.id,
                             timeSpentMilliseconds: ms)
    }

    static func auditSelectionChanged(_ state: inout AppState) -> [Effect] {
        state.audit.noteScroll = 0
        guard let row = AuditFilter.selected(state) else { state.audit.detail = nil; state.audit.shown = nil; return [] }
        if state.audit.detail?.summary.id == row.caseID && state.audit.shown?.id == row.predictionID { return [] }
        return [.loadAuditCase(row.caseID, predictionID: row.predictionID)]
    }
}

import DRGKit
import Foundation
import TerminalUI

/// Which of the three screens the program shows (`--view`).
public enum ViewMode: String, Sendable, Hashable, CaseIterable {
    case code, audit, train
}

/// Where keys go in the coder's view: the queue list or the open case.
public enum Pane: Sendable, Hashable { case queue, caseView }

/// The queue's status filter, cycled with one key.
public enum StatusFilter: String, Sendable, Hashable, CaseIterable {
    case all, open, mine, done, deferred, flagged

    /// `codedToday`: the cases the user coded today, which "mine" keeps after their claim is given back.
    func admits(_ c: CaseSummary, user: String, codedToday: Set<CaseID> = []) -> Bool {
        switch self {
        case .all: return true
        case .open: return c.status == .queued || c.status == .inProgress
        case .mine: return c.claimHolder == user || (c.status == .coded && codedToday.contains(c.id))
        case .done: return c.status == .coded
        case .deferred: return c.status == .deferred
        case .flagged: return c.status == .flagged
        }
    }
}

/// Background scoring of one case, as the screen shows it.
public enum ScoringStatus: Sendable, Hashable {
    case waiting
    case running(progress: Double)
    case failed(String)
}

/// A modal on top of the current screen.
public enum Modal: Sendable, Hashable {
    case help
    case picker(PickerState)
    case whatIf(WhatIfState)
    case reasons(ReasonForm)
}

/// A one-line message in the header (a result, or why a key did nothing).
public struct Flash: Sendable, Hashable {
    public var text: String
    public var role: Role
    public init(_ text: String, role: Role = .success) { self.text = text; self.role = role }
}

/// The whole state of the review program: a value, changed only by `ReviewUpdate.update`, drawn
/// only by `ReviewRender.render`. Nothing in it is a reference to the terminal, the database or
/// the model (those sit behind the effect runner), so any state can be built in a test and drawn.
public struct AppState: Sendable, Equatable {
    public var view: ViewMode
    public var user: String
    public var size: Size
    public var now: Date
    /// Whether a model is loaded (without one every case is still codable by override).
    public var modelName: String?

    // Coder's view
    public var focus: Pane = .queue
    public var queue: [CaseSummary] = []
    public var queueLoaded = false
    public var queueCursor = 0
    public var statusFilter: StatusFilter = .all
    public var sort: QueueSort = .queue
    public var search = ""
    public var searching = false
    /// The search the store last answered about notes, and the cases whose note holds every word
    /// of it (asked off the key thread; used while it is still the current search).
    public var noteSearchQuery: String?
    public var noteSearchIDs: Set<CaseID> = []
    public var session: CaseSession?
    public var scoring: [CaseID: ScoringStatus] = [:]

    // Shared
    public var decisions: [LoggedDecision] = []
    public var chain: ChainState?
    public var modal: Modal?
    public var flash: Flash?
    public var spinnerPhase = 0
    public var quitRequested = false
    /// Decisions this program recorded since it started.
    public var recordedCount = 0
    /// The queue reloads when the store says it changed (`Message.queueChanged`), not on the timer.
    public var liveQueue = false
    /// Refresh ticks so far (the live queue's once-a-minute safety reload counts them).
    public var refreshes = 0
    /// The store is out of reach: the header says so; the screen retries.
    public var outage: StoreOutage?
    /// A decision waiting for the store to come back (at most one; no new decision meanwhile).
    public var pendingDecision: PendingDecision?

    // Auditor's and trainer's views
    public var audit = AuditState()
    public var train = TrainState()

    public init(view: ViewMode = .code, user: String, size: Size, now: Date, modelName: String?) {
        self.view = view; self.user = user; self.size = size; self.now = now; self.modelName = modelName
    }

    /// The queue rows the filter and search admit, in the chosen order. The search matches the case
    /// id, the DRG, or (once the store answered) every word of it in the note.
    public var visibleQueue: [CaseSummary] {
        let needle = search.lowercased()
        let inNotes = noteSearchQuery == search ? noteSearchIDs : []
        let mineToday = statusFilter == .mine ? DecisionLog.codedToday(decisions, by: user, now: now) : []
        let rows = queue.filter { c in
            statusFilter.admits(c, user: user, codedToday: mineToday)
                && (needle.isEmpty || c.externalID.lowercased().contains(needle) || (c.topDRG ?? "").contains(needle)
                    || (c.codedDRG ?? "").contains(needle) || inNotes.contains(c.id))
        }
        return sort.sorted(rows)
    }

    /// The queue row under the cursor.
    public var selectedCase: CaseSummary? {
        let rows = visibleQueue
        guard !rows.isEmpty else { return nil }
        return rows[min(max(0, queueCursor), rows.count - 1)]
    }

    /// Whether any case is being scored now (the header shows a spinner).
    public var isScoring: Bool {
        scoring.values.contains { if case .running = $0 { return true }; return false }
    }
}

/// The open case: the detail, what the model said, where the coder is looking, when they opened it.
public struct CaseSession: Sendable, Equatable {
    public var detail: CaseDetail
    public var prediction: ScoredPrediction?
    public var rankCursor = 0
    public var noteScroll = 0
    /// Show the whole note instead of the section the model read.
    public var showFullNote = false
    /// The note fills the case area (the ranking and breakdown hidden).
    public var noteZoomed = false
    /// The evidence span the coder jumped to.
    public var spanCursor: Int?
    public var openedAt: Date
    /// When the claim's lease was last renewed (the heartbeat runs every `claimHeartbeat` seconds).
    public var claimRenewedAt: Date
    /// Where the section the model read starts in the whole note (scalar offset), if found there.
    public var sectionOffset: Int?
    /// Sentence occlusion for a DRG: running (no spans yet) or done; its spans replace the fast ones.
    public var occlusion: (drg: String, spans: [EvidenceSpan]?)? {
        get { occlusionDRG.map { ($0, occlusionSpans) } }
        set { occlusionDRG = newValue?.drg; occlusionSpans = newValue?.spans }
    }
    var occlusionDRG: String?
    var occlusionSpans: [EvidenceSpan]?

    public init(detail: CaseDetail, openedAt: Date) {
        self.detail = detail; self.prediction = detail.prediction; self.openedAt = openedAt; self.claimRenewedAt = openedAt
        if let r = detail.noteText.range(of: detail.sectionText) {
            sectionOffset = detail.noteText.unicodeScalars.distance(from: detail.noteText.startIndex, to: r.lowerBound)
        }
    }

    public var id: CaseID { detail.summary.id }

    /// The top 10 of the ranking.
    public var topTen: [RankedDRG] { Array((prediction?.prediction.ranked ?? []).prefix(10)) }

    /// The ranked DRG under the cursor.
    public var selectedDRG: RankedDRG? {
        let rows = topTen
        guard !rows.isEmpty else { return nil }
        return rows[min(max(0, rankCursor), rows.count - 1)]
    }

    /// Evidence spans in note order: sentence occlusion's once it answered, else the model's fast ones.
    public var spans: [EvidenceSpan] { (occlusionSpans ?? prediction?.prediction.evidence ?? []).sorted { $0.start < $1.start } }
}

/// The type-ahead DRG picker.
public struct PickerState: Sendable, Hashable {
    public var query = ""
    public var results: [CatalogEntry] = []
    public var cursor = 0
    public init(query: String = "", results: [CatalogEntry] = []) { self.query = query; self.results = results }
    public var selected: CatalogEntry? { results.isEmpty ? nil : results[min(max(0, cursor), results.count - 1)] }
}

/// Reason codes and a free note for an override or a flag.
public struct ReasonForm: Sendable, Hashable {
    public var kind: DecisionKind
    public var drg: String?
    public var chosen: [String] = []
    public var note = ""
    public var cursor = 0
    public var editingNote = false
    /// A re-code of a coded case: at least one reason must be chosen.
    public var recode = false
    /// Set when an auditor records a finding on a decision (agree: its DRG; disagree: theirs).
    public var finding: AuditFinding?
    public init(kind: DecisionKind, drg: String? = nil, recode: Bool = false) { self.kind = kind; self.drg = drg; self.recode = recode }

    /// Why the form cannot be recorded yet, or nil when it can: a re-code always needs a reason
    /// code; an override, a defer or a flag needs one when the rule says so.
    public static func missingReason(_ form: ReasonForm, rule: ReviewSettings.ReasonRule) -> String? {
        guard form.chosen.isEmpty else { return nil }
        if let finding = form.finding {   // agreeing needs no reason; disagreeing follows the rule
            return finding.agree || rule == .optional ? nil : "A disagreeing finding needs a reason: tick one with 1–6 or Space"
        }
        if form.recode { return "A re-code needs a reason: choose one with space" }
        guard rule == .required else { return nil }
        switch form.kind {
        case .override: return "An override needs a reason: tick one with 1–6 or Space"
        case .defer: return "A defer needs a reason: tick one with 1–6 or Space"
        case .flag: return "A flag needs a reason: tick one with 1–6 or Space"
        default: return nil
        }
    }
}

/// An auditor's finding on one decision, on its way to the reasons form and the log.
public struct AuditFinding: Sendable, Hashable {
    public var audited: LoggedDecision
    public var agree: Bool
    public init(audited: LoggedDecision, agree: Bool) { self.audited = audited; self.agree = agree }
}

/// The auditor's replay: a cursor over the filtered log, the case it shows, its filters.
public struct AuditState: Sendable, Equatable {
    public enum DateRange: String, Sendable, Hashable, CaseIterable { case all, today, week = "7 days" }
    public var cursor = 0
    public var userFilter: String?
    public var dateRange: DateRange = .all
    public var disagreementsOnly = false
    public var flaggedOnly = false
    public var detail: CaseDetail?
    public var shown: ScoredPrediction?
    public var noteScroll = 0
    public var lastExport: String?
    public init() {}
}

/// The trainer's view: which list row is selected, the export settings, the last export.
public struct TrainState: Sendable, Hashable {
    public var cursor = 0
    public var formatIndex = 0
    public var correctionsOnly = true
    public var lastExport: String?
    public init() {}
}

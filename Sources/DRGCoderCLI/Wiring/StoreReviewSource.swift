import CodingStore
import DRGKit
import Foundation
import PostgresStore
import ReviewApp

/// `ReviewDataSource` over the real store — either backend of `StoreBackend`: a SQLite file
/// (`AppDatabase`) or a department's PostgreSQL server (`PostgresAppDatabase`). The queue, claims
/// with leases, the hash-chained decision log (the same `DecisionRules` on both), predictions,
/// verification, export, and the live queue (`watchQueue`: GRDB observation or LISTEN/NOTIFY),
/// each one store transaction. Wiring, not screens: ReviewApp sees only its ports.
///
/// A PostgreSQL server out of reach (down, restarting, the password refused) is reported as
/// `StoreUnreachable`, so the screen keeps what the coder typed and retries; rule refusals stay errors.
///
/// `scorer` is the loaded model: predictions are saved under its identity (without a model nothing
/// is saved). Where a truncated note stopped being read is in the stored prediction (`read_up_to`).
public struct StoreReviewSource: ReviewDataSource {
    public let store: any StoreBackend
    public let scorer: (any Scorer)?
    /// The label indices exports use: the loaded model's own space (`TrainingLabels.of(model:)`), or
    /// DRG-LLaMA's v34 spaces without a model.
    public let labels: TrainingLabels?

    public init(store: any StoreBackend, scorer: (any Scorer)?, labels: TrainingLabels? = nil) {
        self.store = store; self.scorer = scorer; self.labels = labels
    }

    /// The label space the exports index by, as the trainer's view names it.
    public var exportLabelSpace: String {
        labels.map { "\($0.single.name) / \($0.two.name)" } ?? "DRG-LLaMA v34 (drg-llama-single / drg-llama-two)"
    }

    public func queue() throws -> [CaseSummary] {
        try reaching { try store.queueEntries() }.map { e in
            var summary = CaseSummary(id: e.id, externalID: e.externalID, status: Self.status(e.status), priority: e.priority,
                                      claimHolder: e.claimHolder, topDRG: e.topDRG, confidence: e.topProbability,
                                      codedDRG: e.codedDRG, finalDRG: e.finalDRG, wholeNote: e.sectionSource == .wholeNote)
            if e.inHospital {
                summary.inHospital = InHospital(workingDRG: e.working?.drg, cutoff: e.working?.cutoff.label, stale: e.working?.stale ?? false)
            }
            return summary
        }
    }

    public func cases(withNoteWords query: String) throws -> Set<CaseID> { try reaching { try store.caseIDs(withNoteWords: query) } }

    public func detail(of id: CaseID) throws -> CaseDetail { try reaching { try readDetail(of: id) } }

    private func readDetail(of id: CaseID) throws -> CaseDetail {
        guard let record = try store.caseRecord(id: id) else { throw ReviewStoreError("no case with id \(id)") }
        let summary = CaseSummary(id: record.id, externalID: record.externalID, status: Self.status(record.status),
                                  priority: record.priority, claimHolder: record.claimHolder, codedDRG: record.codedDRG,
                                  finalDRG: record.finalDRG, wholeNote: record.sectionSource == .wholeNote)
        var detail = CaseDetail(summary: summary, noteText: record.noteText, sectionText: record.sectionText)
        if let p = try store.latestPrediction(caseID: id) {
            detail.prediction = try Self.shown(p)
            detail.summary.topDRG = p.topDRG
            detail.summary.confidence = p.topProbability
        }
        detail.codes = try shownCodes(of: id, drg: record.codedDRG ?? detail.summary.topDRG)
        detail.suggestions = CodeSuggestion.suggest(for: detail.prediction?.prediction.evidence ?? [], excluding: detail.codes)
        return detail
    }

    public func claimNext(user: String) throws -> CaseID? { try claimNext(user: user, leaving: nil) }

    public func claim(_ id: CaseID, user: String) throws {
        try reaching { _ = try store.claim(caseID: id, user: user, lease: AppDatabase.defaultLease, recode: false, now: Date()) }
    }

    public func claimNext(user: String, leaving: CaseID?) throws -> CaseID? {
        try reaching { try store.claimNextCase(user: user, lease: AppDatabase.defaultLease, excluding: leaving, now: Date())?.id }
    }

    public func renewClaim(_ id: CaseID, user: String) throws -> Bool {
        try reaching { try store.renewLease(caseID: id, user: user, lease: AppDatabase.defaultLease, now: Date()) }
    }

    public func releaseClaim(_ id: CaseID, user: String) throws { try reaching { try store.releaseClaim(caseID: id, user: user) } }

    public func record(_ draft: DecisionDraft) throws -> LoggedDecision {
        let request = DecisionRequest(caseID: draft.caseID, user: draft.user, role: DecisionRole(rawValue: draft.role.rawValue) ?? .coder,
                                      action: Self.action(draft.kind),
                                      overrideDRG: draft.kind == .override ? draft.drg : nil, predictionID: draft.predictionID,
                                      reasonCode: draft.reasons.isEmpty ? nil : draft.reasons.joined(separator: ","),
                                      note: draft.note, timeSpentMilliseconds: draft.timeSpentMilliseconds,
                                      recode: draft.recode, holdClaim: draft.kind == .undo)
        return Self.logged(try reaching { try store.recordDecision(request, now: nil) })
    }

    public func save(_ shown: ScoredPrediction, for id: CaseID) throws -> ScoredPrediction {
        guard let identity = scorer?.identity else { return shown }
        let stored = try reaching {
            try store.savePrediction(caseID: id, identity: identity, prediction: shown.prediction,
                                     elapsedMilliseconds: shown.elapsedMilliseconds, tokenCount: shown.tokenCount,
                                     truncated: shown.truncated, now: Date())
        }
        var out = shown
        out.id = stored.id
        return out
    }

    public func prediction(id: Int64) throws -> ScoredPrediction? {
        try reaching { try store.prediction(id: id) }.map(Self.shown)
    }

    public func decisions() throws -> [LoggedDecision] { try reaching { try store.allDecisions() }.map(Self.logged) }

    public func verifyChain() throws -> ChainState {
        Self.chainState(try reaching { try store.verifyChain(expectedHead: nil, anchors: [], after: nil) })
    }

    public func verifyChain(after head: ChainHead) throws -> ChainState {
        Self.chainState(try reaching {
            try store.verifyChain(expectedHead: nil, anchors: [], after: ChainAnchor(seq: head.seq, hash: head.hash))
        })
    }

    public func watchQueue(_ changed: @escaping @Sendable () -> Void) throws -> QueueFeed? {
        let watch = try store.watchChanges(changed)
        return QueueFeed(cancel: { watch.cancel() }, waitUntilReady: { watch.waitUntilReady(timeout: $0) })
    }

    /// Runs a store call; a server out of reach becomes `StoreUnreachable` (the screen's outage).
    func reaching<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresStoreError where error.isConnectionFailure {
            throw StoreUnreachable(error.description)
        }
    }

    static func chainState(_ v: ChainVerification) -> ChainState {
        ChainState(verified: v.ok, count: v.count,
                   message: v.firstBad.map { "broken at \($0.rowName): \($0.reason)" } ?? "\(v.count) decisions verified",
                   head: v.headAnchor.map { ChainHead(seq: $0.seq, hash: $0.hash) })
    }

    public var exportFormats: [String] { ExportFormat.allCases.map(\.rawValue) }

    public func export(format: String, correctionsOnly: Bool, to url: URL) throws -> Int {
        guard let f = ExportFormat(rawValue: format) else { throw ReviewStoreError("unknown export format \(format)") }
        // A server's rows are exported from one consistent snapshot, by the SQLite code.
        let file = try reaching { try store as? AppDatabase ?? AppDatabase.mirror(of: store.snapshot()) }
        return try file.export(f, to: url, labels: labels, correctionsOnly: correctionsOnly).rows
    }

    // MARK: - Mapping

    static func status(_ s: CodingStore.CaseStatus) -> ReviewStatus {
        switch s {
        case .queued: return .queued
        case .inProgress: return .inProgress
        case .coded: return .coded
        case .deferred: return .deferred
        case .flagged: return .flagged
        }
    }

    static func action(_ k: DecisionKind) -> DecisionAction {
        switch k {
        case .accept: return .accept
        case .override: return .override
        case .defer: return .defer
        case .flag: return .flag
        case .undo: return .undo
        }
    }

    static func kind(_ a: DecisionAction) -> DecisionKind {
        switch a {
        case .accept: return .accept
        case .override: return .override
        case .defer: return .defer
        case .flag: return .flag
        case .undo: return .undo
        }
    }

    /// A stored prediction as the screens show it; where the model stopped reading comes from its
    /// JSON (`read_up_to`; older predictions only say that they were truncated).
    static func shown(_ p: PredictionRecord) throws -> ScoredPrediction {
        let prediction = try p.decoded()
        return ScoredPrediction(id: p.id, prediction: prediction, modelName: URL(fileURLWithPath: p.modelPath).lastPathComponent,
                                readUpTo: prediction.readUpTo, elapsedMilliseconds: p.elapsedMilliseconds,
                                tokenCount: p.tokenCount, truncated: p.truncated)
    }

    static func logged(_ d: CodingStore.DecisionRecord) -> LoggedDecision {
        LoggedDecision(seq: d.seq, caseID: d.caseID, caseExternalID: d.caseExternalID, user: d.user, kind: kind(d.action),
                       chosenDRG: d.chosenDRG, modelTopDRG: d.modelTopDRG, predictionID: d.predictionID,
                       reasons: (d.reasonCode ?? "").split(separator: ",").map(String.init), note: d.note,
                       timeSpentMilliseconds: d.timeSpentMilliseconds, decidedAt: parseTimestamp(d.decidedAt) ?? Date(timeIntervalSince1970: 0),
                       reverses: d.reversesSeq, role: DeciderRole(rawValue: d.role.rawValue) ?? .coder)
    }

    /// The store's timestamps: `2026-12-01T18:55:57.123Z`.
    static func parseTimestamp(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}

/// A store error the screen shows as a one-line message.
struct ReviewStoreError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

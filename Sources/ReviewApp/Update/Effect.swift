import DRGKit
import Foundation
import TerminalUI

/// Work the update function asks for and the loop performs off the key-reading thread (disk and
/// model). Results come back as `Message`s. Keeping these as values is what keeps `update` pure.
public enum Effect: Sendable, Equatable {
    case loadQueue
    case loadDecisions
    /// Loads a case and opens it; `claim` also claims it for the user first.
    case openCase(CaseID, claim: Bool)
    /// Claims the next case; `leaving` (the case open now) is released and not handed back.
    case claimNext(leaving: CaseID?)
    /// The heartbeat: extends the lease on the open case.
    case renewClaim(CaseID)
    /// Gives the open case back (quitting).
    case releaseClaim(CaseID)
    case record(DecisionDraft)
    /// Records a decision kept through an outage, unless the log already holds it (its first try
    /// reached the store before the connection broke).
    case retryRecord(PendingDecision)
    /// The cases to score, most wanted first; anything running that is not listed is cancelled.
    case wantScores([CaseID])
    /// Sentence occlusion for a DRG of a case (on the scoring queue; the text is what the model reads).
    case occlude(CaseID, drg: String, text: String)
    /// Loads a case and the prediction a decision showed, for the auditor.
    case loadAuditCase(CaseID, predictionID: Int64?)
    /// The whole check of the log and the store (`audit verify`): the auditor's and trainer's start, `v`.
    case verifyChain
    /// The links of the whole log (seq, prev_hash, hashes, what each row showed) without the
    /// whole-store checks: the coder's start, which on a department's server must not read every note.
    case verifyLinks
    case export(format: String, correctionsOnly: Bool, to: URL)
    /// The auditors' findings as CSV (0600), from the log.
    case exportFindings(to: URL)
    /// The cases whose note holds every word of the query (the queue search; a newer query supersedes it).
    case searchNotes(String)
    /// ICD-10-CM codes for the what-if picker (on the codes queue; a newer query supersedes it).
    case searchDiagnoses(String)
    /// The what-if answer for a set of codes (on the codes queue; a newer question supersedes it).
    case evaluateWhatIf(WhatIfQuestion)
}

/// What comes back from effects and from background scoring.
public enum Message: Sendable, Equatable {
    case queueLoaded([CaseSummary])
    case decisionsLoaded([LoggedDecision])
    case caseOpened(CaseDetail)
    case nothingToClaim
    /// The heartbeat found the claim gone (it lapsed and another coder took the case).
    case claimLost(CaseID)
    case recorded(LoggedDecision)
    case scoreProgress(CaseID, Double)
    case scored(CaseID, ScoredPrediction)
    case scoreFailed(CaseID, String)
    case scoreCancelled(CaseID)
    case occluded(CaseID, drg: String, [EvidenceSpan])
    case occlusionFailed(CaseID, String)
    case auditCaseLoaded(CaseDetail, ScoredPrediction?)
    case chainVerified(ChainState)
    /// A decision was not recorded: the check before it found the log broken.
    case recordRefused(ChainState)
    case exported(count: Int, path: String)
    case notesMatched(query: String, Set<CaseID>)
    case diagnosesFound(query: String, [DiagnosisMatch])
    case whatIfAnswered(WhatIfAnswer)
    case failed(String)
    /// The live feed says the queue changed (another coder's claim or decision, a scorer's prediction).
    case queueChanged
    /// The store is out of reach; `decision` is the one that could not be recorded (kept, retried).
    case storeUnreachable(String, decision: DecisionDraft?)
    /// A kept decision the store refused when it was back (a rule, e.g. another coder coded it meanwhile).
    case pendingRefused(String)
}

/// One thing that happens to the program.
public enum AppEvent: Sendable, Equatable {
    case input(InputEvent)
    case message(Message)
    /// Time passed (animates the spinner).
    case tick
    /// A while passed: reload what other users may have changed (the queue, the log).
    case refresh
}

/// What update needs besides the state: the DRG catalog and settings. Read-only.
public struct ReviewEnvironment: Sendable {
    public var catalog: DRGCatalog
    /// ICD-10-CM search and DRGKit's what-if (used by the effect runner, off the key thread).
    public var codes: CodeCatalog
    public var exportFormats: [String]
    /// Where exports are written.
    public var exportDirectory: URL
    /// The label space training exports index by (the trainer's view shows it).
    public var exportLabelSpace: String?
    /// How many cases after the current one to score ahead.
    public var prefetch: Int
    /// The reason rule, the base rate, moving on after a decision (config file and options).
    public var settings: ReviewSettings

    public init(catalog: DRGCatalog, exportFormats: [String], exportDirectory: URL, prefetch: Int = 3,
                codes: CodeCatalog = DRGKitCodeCatalog(), settings: ReviewSettings = ReviewSettings()) {
        self.catalog = catalog; self.codes = codes; self.exportFormats = exportFormats
        self.exportDirectory = exportDirectory; self.prefetch = prefetch; self.settings = settings
    }
}

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
    /// The cases to score, most wanted first; anything running that is not listed is cancelled.
    case wantScores([CaseID])
    /// Loads a case and the prediction a decision showed, for the auditor.
    case loadAuditCase(CaseID, predictionID: Int64?)
    case verifyChain
    case export(format: String, correctionsOnly: Bool, to: URL)
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
    case auditCaseLoaded(CaseDetail, ScoredPrediction?)
    case chainVerified(ChainState)
    /// A decision was not recorded: the check before it found the log broken.
    case recordRefused(ChainState)
    case exported(count: Int, path: String)
    case diagnosesFound(query: String, [DiagnosisMatch])
    case whatIfAnswered(WhatIfAnswer)
    case failed(String)
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
    /// How many cases after the current one to score ahead.
    public var prefetch: Int

    public init(catalog: DRGCatalog, exportFormats: [String], exportDirectory: URL, prefetch: Int = 3,
                codes: CodeCatalog = DRGKitCodeCatalog()) {
        self.catalog = catalog; self.codes = codes; self.exportFormats = exportFormats
        self.exportDirectory = exportDirectory; self.prefetch = prefetch
    }
}

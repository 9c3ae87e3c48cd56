import DRGKit
import Foundation

/// The values the review screens show and send, independent of the database and the engine.
/// The adapters of DRGCoderCLI (`Sources/DRGCoderCLI/Wiring/`) fill them from `CodingStore` and
/// `LlamaInference`; tests fill them by hand. A model's answer is DRGKit's `ScoredPrediction`.
/// Note text is PHI: nothing here is ever logged.

/// A case's id in the store.
public typealias CaseID = Int64

/// Where a case stands, as the queue shows it.
public enum ReviewStatus: String, Sendable, Hashable, CaseIterable {
    case queued, inProgress = "in progress", coded, deferred, flagged

    /// Four letters for the queue column.
    public var short: String {
        switch self {
        case .queued: return "open"
        case .inProgress: return "busy"
        case .coded: return "done"
        case .deferred: return "dfer"
        case .flagged: return "flag"
        }
    }
}

/// One row of the queue.
public struct CaseSummary: Sendable, Hashable, Identifiable {
    public var id: CaseID
    /// The id people use for the case (the source's note id); not PHI by itself.
    public var externalID: String
    public var status: ReviewStatus
    public var priority: Int
    public var claimHolder: String?
    /// The model's top DRG and its probability, when the case was scored.
    public var topDRG: String?
    public var confidence: Double?
    /// The DRG the coders settled on.
    public var codedDRG: String?
    /// The DRG the source recorded. Never shown in the coder's view; only the queue summary's
    /// aggregate CMI error uses it.
    public var finalDRG: String?
    /// The import found no brief hospital course: the model reads the whole note (the queue marks it
    /// "no BHC", as `drgcoder import --help` promises).
    public var wholeNote: Bool
    /// The payment spread of the DRG's family (`QueueSort.atStake`), filled in by the screen.
    public var atStake: Double?

    public init(id: CaseID, externalID: String, status: ReviewStatus, priority: Int = 0, claimHolder: String? = nil,
                topDRG: String? = nil, confidence: Double? = nil, codedDRG: String? = nil, finalDRG: String? = nil,
                wholeNote: Bool = false) {
        self.id = id; self.externalID = externalID; self.status = status; self.priority = priority
        self.claimHolder = claimHolder; self.topDRG = topDRG; self.confidence = confidence
        self.codedDRG = codedDRG; self.finalDRG = finalDRG; self.wholeNote = wholeNote
    }

    public var isScored: Bool { topDRG != nil }

    /// Set for a patient still in hospital (chart-timed notes, no discharge yet: early prediction).
    public var inHospital: InHospital? = nil

    /// "in hospital · working DRG 291 (24 h)", as the queue marks such a row; nil for a discharged stay.
    public var stayMarker: String? {
        guard let stay = inHospital else { return nil }
        guard let drg = stay.workingDRG else { return "in hospital · no working DRG yet" }
        return "in hospital · working DRG \(drg)" + (stay.cutoff.map { " (\($0))" } ?? "") + (stay.stale ? " · stale" : "")
    }
}

extension CaseSummary {
    /// The queue row's short form, at most 20 columns (the working DRG is in the DRG column, marked
    /// `~`): "in hospital (24 h)", "in hosp (24 h) stale", "in hospital · no DRG".
    public var queueStayMarker: String? {
        guard let stay = inHospital else { return nil }
        guard stay.workingDRG != nil else { return "in hospital · no DRG" }
        let window = stay.cutoff.map { " (\($0))" } ?? ""
        return stay.stale ? "in hosp\(window) stale" : "in hospital\(window)"
    }
}

/// A stay still in hospital and its working DRG: the top DRG of its latest early prediction, the
/// cut-off it read ("24 h", "48 h", "now"), and whether a note arrived in that window since.
public struct InHospital: Sendable, Hashable {
    public var workingDRG: String?
    public var cutoff: String?
    public var stale: Bool
    public init(workingDRG: String? = nil, cutoff: String? = nil, stale: Bool = false) {
        self.workingDRG = workingDRG; self.cutoff = cutoff; self.stale = stale
    }
}

/// Everything about one case that the case screen needs.
public struct CaseDetail: Sendable, Equatable {
    public var summary: CaseSummary
    /// The whole note.
    public var noteText: String
    /// The text the model reads (the brief hospital course, or the whole note).
    public var sectionText: String
    /// The latest stored prediction, if any.
    public var prediction: ScoredPrediction?
    /// The ICD codes the case carries (principal, secondaries, procedures), assessed for CC/MCC.
    public var codes: [ShownCode] = []
    /// ICD-10-CM codes suggested for the model's CC/MCC evidence spans; the coder confirms them.
    public var suggestions: [CodeSuggestion] = []

    public init(summary: CaseSummary, noteText: String, sectionText: String, prediction: ScoredPrediction? = nil) {
        self.summary = summary; self.noteText = noteText; self.sectionText = sectionText; self.prediction = prediction
    }
}

/// Who decided: the store's roles (`decisions.role`, part of the hash chain). A coder codes; an
/// auditor records findings (an accept or override of their own, marked AUDIT-AGREE / AUDIT-DISAGREE).
public enum DeciderRole: String, Sendable, Hashable, CaseIterable {
    case coder, auditor, trainer
}

/// What a coder can do to a case.
public enum DecisionKind: String, Sendable, Hashable, CaseIterable {
    case accept, override, `defer`, flag, undo
}

/// A decision the screen asks the store to record.
public struct DecisionDraft: Sendable, Hashable {
    public var caseID: CaseID
    public var user: String
    public var kind: DecisionKind
    /// The DRG an override chooses.
    public var drg: String?
    /// The prediction the coder was shown (its store id).
    public var predictionID: Int64?
    /// Reason codes (from `ReasonCode.all`), joined with "," when stored.
    public var reasons: [String]
    public var note: String?
    public var timeSpentMilliseconds: Int64
    /// An explicit re-code of a coded case (the screen asks for a reason first).
    public var recode = false
    /// Who decides (an auditor's finding is recorded in the auditor's role).
    public var role: DeciderRole = .coder

    public init(caseID: CaseID, user: String, kind: DecisionKind, drg: String? = nil, predictionID: Int64? = nil,
                reasons: [String] = [], note: String? = nil, timeSpentMilliseconds: Int64 = 0) {
        self.caseID = caseID; self.user = user; self.kind = kind; self.drg = drg; self.predictionID = predictionID
        self.reasons = reasons; self.note = note; self.timeSpentMilliseconds = timeSpentMilliseconds
    }
}

/// One row of the decision log as the screens show it.
public struct LoggedDecision: Sendable, Hashable, Identifiable {
    public var seq: Int64
    public var caseID: CaseID
    public var caseExternalID: String
    public var user: String
    public var kind: DecisionKind
    public var chosenDRG: String?
    public var modelTopDRG: String?
    public var predictionID: Int64?
    public var reasons: [String]
    public var note: String?
    public var timeSpentMilliseconds: Int64
    public var decidedAt: Date
    /// For an undo: the decision it reverses.
    public var reverses: Int64?
    public var role: DeciderRole = .coder

    public var id: Int64 { seq }

    /// An auditor's finding: "agree" or "disagree" (from its AUDIT-* reason), nil for other rows.
    public var finding: String? {
        guard role == .auditor else { return nil }
        if reasons.contains(ReasonCode.auditAgree) { return "agree" }
        if reasons.contains(ReasonCode.auditDisagree) { return "disagree" }
        return nil
    }

    public init(seq: Int64, caseID: CaseID, caseExternalID: String, user: String, kind: DecisionKind,
                chosenDRG: String? = nil, modelTopDRG: String? = nil, predictionID: Int64? = nil,
                reasons: [String] = [], note: String? = nil, timeSpentMilliseconds: Int64 = 0,
                decidedAt: Date, reverses: Int64? = nil, role: DeciderRole = .coder) {
        self.seq = seq; self.caseID = caseID; self.caseExternalID = caseExternalID; self.user = user; self.kind = kind
        self.chosenDRG = chosenDRG; self.modelTopDRG = modelTopDRG; self.predictionID = predictionID
        self.reasons = reasons; self.note = note; self.timeSpentMilliseconds = timeSpentMilliseconds
        self.decidedAt = decidedAt; self.reverses = reverses; self.role = role
    }
}

/// The result of re-hashing the decision log.
public struct ChainState: Sendable, Hashable {
    public var verified: Bool
    public var count: Int
    public var message: String
    /// The last row verified (nil for an empty log or a source without a chain): the next check
    /// before a decision starts there.
    public var head: ChainHead?
    public init(verified: Bool, count: Int, message: String, head: ChainHead? = nil) {
        self.verified = verified; self.count = count; self.message = message; self.head = head
    }
}

/// A row of the decision log and its hash.
public struct ChainHead: Sendable, Hashable {
    public var seq: Int64
    public var hash: String
    public init(seq: Int64, hash: String) { self.seq = seq; self.hash = hash }

    /// Before the first row: a check "after" it walks the links of the whole log (1–3 of
    /// `audit verify`) without the whole-store checks, which are the auditor's.
    public static let genesis = ChainHead(seq: 0, hash: String(repeating: "0", count: 64))
}

/// One DRG of the version in use, with what the screens show about it.
public struct CatalogEntry: Sendable, Hashable {
    public var code: String
    public var description: String
    public var mdc: String?
    /// "MED", "SURG" or another type of the table.
    public var type: String?
    public var weight: Double?
    /// The base DRG (family without the CC/MCC split).
    public var base: String?
    /// The CC/MCC class within the family ("with MCC", …).
    public var ccMccClass: String?
    /// The split family, e.g. "three-way (MCC / CC / none)".
    public var family: String?

    public init(code: String, description: String, mdc: String? = nil, type: String? = nil, weight: Double? = nil,
                base: String? = nil, ccMccClass: String? = nil, family: String? = nil) {
        self.code = code; self.description = description; self.mdc = mdc; self.type = type; self.weight = weight
        self.base = base; self.ccMccClass = ccMccClass; self.family = family
    }
}

/// The reason codes a coder picks from when overriding or flagging.
public struct ReasonCode: Sendable, Hashable {
    public var code: String
    public var label: String
    public static let all: [ReasonCode] = [
        ReasonCode(code: "PDX", label: "different principal diagnosis"),
        ReasonCode(code: "CC-MISSED", label: "CC/MCC documented, model missed it"),
        ReasonCode(code: "CC-UNSUPPORTED", label: "CC/MCC not supported by the note"),
        ReasonCode(code: "PROCEDURE", label: "procedure changes the DRG"),
        ReasonCode(code: "QUERY", label: "physician query needed"),
        ReasonCode(code: "OTHER", label: "other (see note)"),
    ]
    /// The reason an auditor's finding carries first: it agrees with the decision audited, or not.
    public static let auditAgree = "AUDIT-AGREE"
    public static let auditDisagree = "AUDIT-DISAGREE"
}

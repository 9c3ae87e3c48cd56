import Foundation

/// What one row of the decision log says, reduced to what decides a case's code: the one input
/// of `CaseCoding.fold` and `CodingAgreement`. The store (`DecisionRecord`) and the screens
/// (`LoggedDecision`) map their rows to it, so the status a case shows, the coded DRG the store
/// caches, `audit verify`'s check of that cache and every agreement figure come from one definition.
public struct CodingEvent: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable { case accept, override, `defer`, flag, undo }

    public var seq: Int64
    public var caseID: Int64
    public var action: Action
    public var chosenDRG: String?
    /// The model's top DRG of the prediction shown, if one was.
    public var modelTopDRG: String?
    /// For an undo: the seq it reverses.
    public var reverses: Int64?

    public init(seq: Int64, caseID: Int64, action: Action, chosenDRG: String? = nil, modelTopDRG: String? = nil,
                reverses: Int64? = nil) {
        self.seq = seq; self.caseID = caseID; self.action = action; self.chosenDRG = chosenDRG
        self.modelTopDRG = modelTopDRG; self.reverses = reverses
    }
}

/// Where the log leaves one case. Computed by `fold`; never stored on its own (the store's
/// `cases.status` / `coded_drg` are caches of it that `audit verify` recomputes).
///
/// Rules, over the case's *effective* decisions (undo rows and the rows they reverse removed), oldest first:
/// - accept / override: the case is coded with the chosen DRG, any open flag is resolved;
/// - defer: the case is uncoded and deferred, any open flag is resolved;
/// - flag: a flag is opened for an auditor; the code stays what it was (a flag is a note, not a code).
public struct CaseCoding: Sendable, Hashable {
    /// The accept / override that set the current code, if the case is coded.
    public var coding: CodingEvent?
    public var deferred = false
    public var flagged = false

    public init() {}

    public var codedDRG: String? { coding?.chosenDRG }

    /// The decisions that still count: not undo rows, not reversed by one. Log order kept.
    public static func effective(_ events: [CodingEvent]) -> [CodingEvent] {
        let gone = Set(events.compactMap { $0.action == .undo ? $0.reverses : nil })
        return events.filter { $0.action != .undo && !gone.contains($0.seq) }
    }

    /// The state of one case after its events (in seq order; other cases' events are ignored).
    public static func fold(_ events: [CodingEvent], caseID: Int64) -> CaseCoding {
        var state = CaseCoding()
        for e in effective(events.filter { $0.caseID == caseID }) { state.apply(e) }
        return state
    }

    /// The state of every case that has events, keyed by case id.
    public static func foldAll(_ events: [CodingEvent]) -> [Int64: CaseCoding] {
        var out: [Int64: CaseCoding] = [:]
        for e in effective(events) { out[e.caseID, default: CaseCoding()].apply(e) }
        return out
    }

    mutating func apply(_ e: CodingEvent) {
        switch e.action {
        case .accept, .override: coding = e; deferred = false; flagged = false
        case .defer: coding = nil; deferred = true; flagged = false
        case .flag: flagged = true
        case .undo: break
        }
    }
}

/// Agreement between coders and the model: per case, by its effective decision. A case counts
/// when it is coded (`CaseCoding.coding`) by a decision that was shown a prediction; it agrees
/// when the coder chose the model's top DRG. Each case counts once, however many times it was
/// re-coded or undone. Every view (queue summary, train view, `audit replay --json`) uses this.
public struct CodingAgreement: Sendable, Hashable, Codable {
    public var agree: Int
    public var cases: Int

    public init(agree: Int = 0, cases: Int = 0) { self.agree = agree; self.cases = cases }

    public var rate: Double? { cases == 0 ? nil : Double(agree) / Double(cases) }

    /// Agreement over the whole log (`events` in seq order); `include` can keep only the cases whose
    /// effective coding decision matches a filter (a user, a date range).
    public static func of(_ events: [CodingEvent], include: (CodingEvent) -> Bool = { _ in true }) -> CodingAgreement {
        var out = CodingAgreement()
        for state in CaseCoding.foldAll(events).values {
            guard let c = state.coding, let top = c.modelTopDRG, include(c) else { continue }
            out.cases += 1
            if c.chosenDRG == top { out.agree += 1 }
        }
        return out
    }
}

import Foundation

/// Every row of a store, in key order: what `drgcoder db copy` moves between backends, and what the
/// PostgreSQL backend mirrors into memory to reuse the SQLite code for import, export and verify.
public struct StoreSnapshot: Sendable, Equatable {
    /// One row of `case_codes`.
    public struct Code: Sendable, Equatable {
        public var caseID: Int64
        public var code: CaseCode
        public var source: String
        public init(caseID: Int64, code: CaseCode, source: String) { self.caseID = caseID; self.code = code; self.source = source }
    }

    public var cases: [CaseRecord] = []
    public var codes: [Code] = []
    public var predictions: [PredictionRecord] = []
    /// Chart-timed notes (`case_notes`) and the early predictions made from them.
    public var notes: [CaseNoteRecord] = []
    public var earlyPredictions: [EarlyPredictionRecord] = []
    /// The decision log in chain order.
    public var decisions: [DecisionRecord] = []
    /// The highest decision seq ever handed out (SQLite's `sqlite_sequence`, PostgreSQL's
    /// `decision_high_water`): above the last row's seq only when the newest rows were deleted.
    public var decisionHighWater: Int64 = 0

    public init() {}

    /// The chain's head hash (the genesis hash for an empty log).
    public var headHash: String { decisions.last?.hash ?? DecisionChain.genesisHash }
}

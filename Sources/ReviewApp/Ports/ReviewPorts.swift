import DRGKit
import Foundation

/// The store as the review screens need it. `StoreReviewSource` (DRGCoderCLI) adapts `CodingStore`;
/// tests use an in-memory fake. Every method may be slow (disk): the loop calls them on its I/O
/// queue, never on the thread that reads keys.
public protocol ReviewDataSource: Sendable {
    /// Every case in queue order.
    func queue() throws -> [CaseSummary]
    /// One case with its note and latest prediction.
    func detail(of id: CaseID) throws -> CaseDetail
    /// The cases whose whole note holds every word of `query` (case-insensitive), for the queue
    /// search. The note text stays in the store: only ids come back.
    func cases(withNoteWords query: String) throws -> Set<CaseID>
    /// Claims the next case for `user`; nil when nothing is left.
    func claimNext(user: String) throws -> CaseID?
    /// Claims a case the coder opened from the list (releasing any other claim of theirs).
    func claim(_ id: CaseID, user: String) throws
    /// Claims the next case, first releasing `leaving` (the case open now), which is never handed back.
    func claimNext(user: String, leaving: CaseID?) throws -> CaseID?
    /// Extends the user's lease on the open case (the heartbeat); false when the claim was lost.
    func renewClaim(_ id: CaseID, user: String) throws -> Bool
    /// Gives the case back (leaving it, quitting).
    func releaseClaim(_ id: CaseID, user: String) throws
    /// Appends a decision to the log and returns the row as stored.
    func record(_ draft: DecisionDraft) throws -> LoggedDecision
    /// Stores a model's answer; returns it with its store id.
    func save(_ prediction: ScoredPrediction, for id: CaseID) throws -> ScoredPrediction
    /// A stored prediction by id (the auditor's "what the model showed then").
    func prediction(id: Int64) throws -> ScoredPrediction?
    /// The whole decision log in chain order.
    func decisions() throws -> [LoggedDecision]
    /// Re-hashes the log.
    func verifyChain() throws -> ChainState
    /// Re-hashes only what follows `head` (verified earlier), and `head` itself: cheap enough to
    /// run before every decision.
    func verifyChain(after head: ChainHead) throws -> ChainState
    /// The export formats the store writes (e.g. "drg-llama-single-csv", "jsonl").
    var exportFormats: [String] { get }
    /// Writes decisions as training labels; returns the number of rows written.
    func export(format: String, correctionsOnly: Bool, to url: URL) throws -> Int
    /// The live queue: starts calling `changed` (on any thread) whenever another screen or process
    /// (or this one) changes cases, claims, predictions or decisions; nil when the source cannot
    /// tell, and the screen then reloads on a timer instead.
    func watchQueue(_ changed: @escaping @Sendable () -> Void) throws -> QueueFeed?
}

/// A running live-queue feed (`ReviewDataSource.watchQueue`).
public struct QueueFeed: Sendable {
    /// Stops it.
    public var cancel: @Sendable () -> Void
    /// Waits until it is listening (a change from then on is seen); false after `timeout` seconds.
    public var waitUntilReady: @Sendable (_ timeout: TimeInterval) -> Bool
    public init(cancel: @escaping @Sendable () -> Void, waitUntilReady: @escaping @Sendable (TimeInterval) -> Bool) {
        self.cancel = cancel; self.waitUntilReady = waitUntilReady
    }
}

/// The DRGs of one MS-DRG version. `DRGKitCatalog` adapts DRGKit's table and search.
///
/// The model that scores notes is DRGKit's `Scorer` (one port for the screens and the store).
public protocol DRGCatalog: Sendable {
    /// e.g. "MS-DRG v43".
    var versionName: String { get }
    func entry(_ code: String) -> CatalogEntry?
    /// Every DRG whose code or words match `query`, best first, typo-tolerant.
    func search(_ query: String, limit: Int) -> [CatalogEntry]
    /// The DRGs of the same base DRG as `code` (including it), in code order.
    func siblings(of code: String) -> [CatalogEntry]
    /// The payment for a relative weight (weight × base rate), when a base rate is known.
    func payment(forWeight weight: Double) -> Double?
}

/// What time it is (injected, so tests are deterministic).
public protocol ReviewClock: Sendable {
    func now() -> Date
}

/// The system clock.
public struct SystemClock: ReviewClock {
    public init() {}
    public func now() -> Date { Date() }
}

extension ReviewDataSource {
    /// For sources without claims (test fakes): `leaving` is ignored.
    public func claimNext(user: String, leaving: CaseID?) throws -> CaseID? { try claimNext(user: user) }
    /// For sources that cannot search notes: nothing matches by note words.
    public func cases(withNoteWords query: String) throws -> Set<CaseID> { [] }
    /// For sources without claims (test fakes): always held.
    public func renewClaim(_ id: CaseID, user: String) throws -> Bool { true }
    /// For sources without claims (test fakes): nothing to release.
    public func releaseClaim(_ id: CaseID, user: String) throws {}
    /// For sources without an incremental check (test fakes): the whole log.
    public func verifyChain(after head: ChainHead) throws -> ChainState { try verifyChain() }
    /// For sources that cannot see changes (test fakes): no live feed, the screen reloads on a timer.
    public func watchQueue(_ changed: @escaping @Sendable () -> Void) throws -> QueueFeed? { nil }
}

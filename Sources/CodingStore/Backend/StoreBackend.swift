import DRGKit
import Foundation

/// The store's intention-named operations, as every command uses them, with two backends:
/// `AppDatabase` (an embedded SQLite file, GRDB; the default for one coder) and `PostgresAppDatabase`
/// (module PostgresStore: a department's queue on a PostgreSQL server). Both keep the same rules —
/// one claim holder per case with a lease, one effective decision per case (`DecisionRules`), re-code
/// only with a reason, a flag resolved only by an auditor, the hash chain (`DecisionChain`) — and
/// `verifyChain` checks the same things on both (PostgreSQL verifies a mirror of its rows with the
/// SQLite code, see `AppDatabase.mirror(of:)`).
///
/// Synchronous, like the commands that call it; the PostgreSQL backend waits for its async client.
public protocol StoreBackend: Sendable {
    /// Where the store lives, for messages: a file path or a URL without its password.
    var location: String { get }

    // Cases and claims (see docs/STORE.md, "Claims").
    func enqueue(_ incoming: IncomingCase, source: String, now: Date) throws -> Int64
    func caseRecord(id: Int64) throws -> CaseRecord?
    func cases(externalID: String, source: String?) throws -> [CaseRecord]
    func queueEntries() throws -> [QueueEntry]
    func claimNextCase(user: String, lease: TimeInterval, excluding: Int64?, now: Date) throws -> CaseRecord?
    @discardableResult
    func claim(caseID: Int64, user: String, lease: TimeInterval, recode: Bool, now: Date) throws -> CaseRecord
    func renewLease(caseID: Int64, user: String, lease: TimeInterval, now: Date) throws -> Bool
    func releaseClaim(caseID: Int64, user: String) throws
    /// The cases whose note holds every word of `query` (case-insensitive), for the screen's queue
    /// search; only ids leave the store.
    func caseIDs(withNoteWords query: String) throws -> Set<Int64>
    /// The case's codes: principal, secondaries, procedures, each in sequence order.
    func codes(ofCase id: Int64) throws -> [CaseCode]
    /// Starts the live queue feed (`StoreChangeWatch`): `changed` is called after every change to
    /// cases, predictions or decisions, by this process or another, until the watch is cancelled.
    func watchChanges(_ changed: @escaping @Sendable () -> Void) throws -> StoreChangeWatch

    // Predictions and scoring.
    @discardableResult
    func savePrediction(caseID: Int64, identity: ModelIdentity, prediction: DRGPrediction, elapsedMilliseconds: Double,
                        tokenCount: Int?, truncated: Bool, now: Date) throws -> PredictionRecord
    func latestPrediction(caseID: Int64) throws -> PredictionRecord?
    /// One prediction by id (the auditor's "what the model showed then").
    func prediction(id: Int64) throws -> PredictionRecord?
    /// The next case for `worker` to score with the model `modelKey` (not coded, not scored by that
    /// model, not being scored by another live worker), reserved for `lease`; nil when none is left.
    func claimCaseToScore(modelKey: String, worker: String, lease: TimeInterval, excluding: Set<Int64>,
                          now: Date) throws -> CaseRecord?
    func scoringProgress(modelKey: String) throws -> (scored: Int, remaining: Int)

    // The decision log.
    @discardableResult
    func recordDecision(_ request: DecisionRequest, now: Date?) throws -> DecisionRecord
    func effectiveDecisions(caseID: Int64) throws -> [DecisionRecord]
    func allDecisions() throws -> [DecisionRecord]
    /// `after`: start from a row an earlier verification passed (incremental), nil for the whole chain.
    func verifyChain(expectedHead: String?, anchors: [ChainAnchor], after start: ChainAnchor?) throws -> ChainVerification

    // Codes, chart-timed notes and early prediction (issues 15 and 19). Imports are all or nothing: a bad
    // row is one error naming the file and line, and nothing of the file is stored. Both stream the file.
    func importMIMICCodes(_ file: MIMICCodeFile, from url: URL, progress: ((Int64, Int64) -> Void)?) throws -> CodesImportSummary
    func importChartNotes(format: ChartNoteFormat, url: URL, skipBadRows: Bool, now: Date,
                          progress: ((Int64, Int64) -> Void)?) throws -> NotesImportSummary
    /// A case's notes in chart order.
    func caseNotes(caseID: Int64) throws -> [CaseNoteRecord]
    /// Not-coded cases with notes, highest priority first (what `scoreEarly` walks).
    func earlyPredictionCandidates() throws -> [EarlyCandidate]
    func latestEarlyInputSHA256(caseID: Int64, modelKey: String, cutoff: EarlyCutoff) throws -> String?
    /// Adds the row unless the same (case, model, cut-off, input) is stored already.
    func saveEarlyPrediction(_ record: EarlyPredictionRecord) throws

    // Whole-store copies (`drgcoder db copy`, and the PostgreSQL backend's import/export/replay).
    /// Every row of the store (note text included), in key order.
    func snapshot() throws -> StoreSnapshot
    /// Writes `snapshot` into this store, which must hold no case yet; keys and the chain are kept,
    /// and the store's own chain checks run on every decision inserted.
    func load(_ snapshot: StoreSnapshot) throws
    /// Adds the snapshot's cases (and their codes) that this store does not have yet, by
    /// (source, external id); returns how many were added. Predictions and decisions are not copied.
    func appendCases(from snapshot: StoreSnapshot) throws -> Int

    /// As `appendCases(from:)` from a staged store (an import's scratch file), read `batchSize` cases at a
    /// time, so memory stays bounded by the batch, not the file; one transaction. Returns how many were added.
    func appendCases(streamingFrom staged: AppDatabase, batchSize: Int) throws -> Int

    /// Releases the connections (SQLite: checkpoints the WAL). The value must not be used afterwards.
    func close()
}

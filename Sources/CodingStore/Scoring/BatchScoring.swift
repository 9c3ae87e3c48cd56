import DRGKit
import Foundation

/// Where a batch run stands, for the progress line.
public struct BatchProgress: Sendable, Equatable {
    public var scoredThisRun: Int
    public var remaining: Int
    /// Notes per second this run.
    public var rate: Double
}

/// How a batch run ended.
public struct BatchScoringReport: Sendable, Equatable {
    public var scored = 0
    /// Cases the scorer failed on: (external id, error), skipped for the rest of the run.
    public var failures: [String] = []
    public var cancelled = false
    /// Cases the model has still not scored.
    public var remaining = 0
}

/// How long a scoring worker holds a case before another worker may take it (a worker that died).
public enum ScoringLease {
    public static let standard: TimeInterval = 10 * 60
    /// This process's name as a scoring worker: host and pid.
    public static var workerName: String { "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)" }
}

extension StoreBackend {
    /// Pre-scores the queue: repeatedly takes the highest-priority case that is not coded and has no
    /// prediction from `scorer.identity` (`claimCaseToScore`: on PostgreSQL reserved for `worker`
    /// for `lease`, so any number of workers on any machines split the queue, and a dead worker's
    /// case returns after its lease), scores its section and saves the prediction. Resumable by
    /// construction (what is saved is skipped next time); stopping (`isCancelled`) loses at most the
    /// note in flight. `limit` caps the number scored this run.
    public func scoreQueue(with scorer: any Scorer, worker: String = ScoringLease.workerName,
                           lease: TimeInterval = ScoringLease.standard, limit: Int? = nil,
                           isCancelled: @escaping @Sendable () -> Bool = { false },
                           clock: @escaping () -> Date = Date.init,
                           progress: ((BatchProgress) -> Void)? = nil) throws -> BatchScoringReport {
        let key = scorer.identity.key
        var report = BatchScoringReport()
        var failed: Set<Int64> = []
        let started = clock()
        while !isCancelled() {
            if let limit, report.scored >= limit { break }
            guard let next = try claimCaseToScore(modelKey: key, worker: worker, lease: lease, excluding: failed,
                                                  now: clock()) else { break }
            do {
                let scored = try scorer.score(text: next.sectionText, isCancelled: isCancelled, progress: { _ in })
                try savePrediction(caseID: next.id, identity: scorer.identity, prediction: scored.prediction,
                                   elapsedMilliseconds: scored.elapsedMilliseconds, tokenCount: scored.tokenCount,
                                   truncated: scored.truncated, now: clock())
                report.scored += 1
            } catch is CancellationError {
                report.cancelled = true
                break
            } catch {
                failed.insert(next.id)
                report.failures.append("\(next.externalID): \(error)")
            }
            if let progress {
                let seconds = max(clock().timeIntervalSince(started), 1e-9)
                let remaining = try scoringProgress(modelKey: key).remaining - failed.count
                progress(BatchProgress(scoredThisRun: report.scored, remaining: max(0, remaining),
                                       rate: Double(report.scored) / seconds))
            }
        }
        if isCancelled() { report.cancelled = true }
        report.remaining = try scoringProgress(modelKey: key).remaining
        return report
    }
}

import DRGKit
import Foundation

/// A case `score --cutoff` looks at: not coded, with chart-timed notes.
public struct EarlyCandidate: Sendable, Equatable {
    public var id: Int64
    public var externalID: String
    public var admittedOn: String?
    public init(id: Int64, externalID: String, admittedOn: String?) {
        self.id = id; self.externalID = externalID; self.admittedOn = admittedOn
    }
}

extension StoreBackend {
    /// Early prediction (issue 19), the same on both backends: for every case with chart-timed notes
    /// that is not coded yet, highest priority first, builds the input from its notes up to `cutoff`
    /// (``EarlyInput``) and, unless its latest prediction from this model at this cut-off read exactly
    /// that input, scores it and adds a row to `early_predictions` (never updated: a new note makes a
    /// new row). Resumable like `scoreQueue`; `limit` caps the predictions made. Two workers on one
    /// PostgreSQL store may score the same input at once: the second row is not added (UNIQUE on case,
    /// model, cut-off and input), so each input keeps one prediction.
    public func scoreEarly(with scorer: any Scorer, cutoff: EarlyCutoff, limit: Int? = nil,
                           isCancelled: @escaping @Sendable () -> Bool = { false }, clock: @escaping () -> Date = Date.init,
                           progress: ((Int, Int) -> Void)? = nil) throws -> EarlyScoringReport {
        var report = EarlyScoringReport(cutoff: cutoff)
        let cases = try earlyPredictionCandidates()
        for (index, c) in cases.enumerated() {
            if isCancelled() { report.cancelled = true; break }
            if let limit, report.scored >= limit { break }
            progress?(index, cases.count)
            guard let input = EarlyInput.build(notes: try caseNotes(caseID: c.id), admittedOn: c.admittedOn, cutoff: cutoff) else {
                report.noNotesInWindow += 1; continue
            }
            let latest = try latestEarlyInputSHA256(caseID: c.id, modelKey: scorer.identity.key, cutoff: cutoff)
            if latest == input.sha256 { report.upToDate += 1; continue }
            do {
                let scored = try scorer.score(text: input.text, isCancelled: isCancelled, progress: { _ in })
                try saveEarlyPrediction(EarlyPredictionRecord.make(caseID: c.id, identity: scorer.identity, cutoff: cutoff,
                                                                   input: input, scored: scored,
                                                                   createdAt: StoreClock.timestamp(clock())))
                report.scored += 1
            } catch is CancellationError {
                report.cancelled = true; break
            } catch {
                report.failures.append("\(c.externalID): \(error)")
            }
        }
        progress?(cases.count, cases.count)
        return report
    }
}

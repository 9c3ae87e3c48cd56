import ArgumentParser
import CodingStore
import DRGKit
import Foundation

extension ScoreCommand {
    /// `score --cutoff 24h|48h|now`: the early predictions of every stay with chart-timed notes
    /// (``StoreBackend/scoreEarly(with:cutoff:limit:isCancelled:clock:progress:)``, on either backend): new stays and stays
    /// with a new note in the window are scored, the rest are up to date. Ctrl-C stops after the note
    /// in flight (exit 130); a rerun goes on.
    func runEarly(database: any StoreBackend, scorer: any Scorer, cutoff: EarlyCutoff, interrupted: InterruptFlag) throws {
        let bar = TerminalProgress(label: "early \(cutoff.label)")
        let report = try StoreCommandSupport.run {
            try database.scoreEarly(with: scorer, cutoff: cutoff, limit: limit, isCancelled: { interrupted.isSet }, progress: { done, total in
                bar.update(done: Int64(done), total: Int64(total))
            })
        }
        bar.finish()
        for failure in report.failures { printError("failed: \(failure)") }
        print("early predictions at \(cutoff.label) with \(scorer.identity.path): \(report.scored) scored, \(report.upToDate) up to date, "
              + "\(report.noNotesInWindow) without a note in the window" + (report.failures.isEmpty ? "" : ", \(report.failures.count) failed"))
        if report.cancelled {
            printError("interrupted: run drgcoder score --cutoff \(cutoff.rawValue) again to resume")
            throw ExitCode(130)
        }
    }
}

import ArgumentParser
import CodingStore
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `drgcoder score --db F --model D [--adapter D] [--labels L] [--threads N] [--max-tokens N] [--limit N]`
///
/// Pre-scores the queue (highest priority first) so coders open cases that are already scored: the
/// way a 7B model becomes usable on a CPU. Resumable — a case this model already scored is skipped —
/// and Ctrl-C safe: the note in flight is abandoned, everything saved stays saved (exit status 130).
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score", abstract: "Pre-score the queue with a model, resumably.",
        discussion: """
            Shows progress and notes per second on a terminal. Run it again after an interrupt to go on. On a \
            postgresql:// queue any number of workers, on any machines, split the queue: each case is scored once \
            per model, and a dead worker's case is taken again after its 10-minute lease.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The model directory: DRG-LLaMA (HF layout) or a CAML run (checkpoint.bin, hyperparam.pk).") var model: String
    @OptionGroup var modelOptions: ModelOptions
    @Option(help: "Tokens fed to a DRG-LLaMA model (512); a CAML model reads its max_seq_length.") var maxTokens = 512
    @Option(help: "Score at most this many notes, then stop.") var limit: Int?
    @Option(help: "Early prediction: score each stay's chart-timed notes up to 24h or 48h after admission, or now (every note so far); a stay whose notes in the window changed is scored again.")
    var cutoff: EarlyCutoff?

    func validate() throws {
        guard maxTokens >= 2 else { throw ValidationError("--max-tokens must be at least 2.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    func run() throws {
        if let cutoff {
            let database = try store.open()
            defer { database.close() }
            let scorer = try modelOptions.loadScorer(model: model, maxTokens: maxTokens).scorer
            return try runEarly(database: database, scorer: scorer, cutoff: cutoff, interrupted: InterruptFlag.installForSIGINT())
        }
        let database = try store.open()
        defer { database.close() }
        let scorer = try modelOptions.loadScorer(model: model, maxTokens: maxTokens).scorer
        let interrupted = InterruptFlag.installForSIGINT()
        let bar = TerminalProgress(label: "scoring")
        let report = try StoreCommandSupport.run {
            try database.scoreQueue(with: scorer, limit: limit, isCancelled: { interrupted.isSet }, progress: { p in
                let total = Int64(p.scoredThisRun + p.remaining)
                bar.update(done: Int64(p.scoredThisRun), total: total,
                           suffix: String(format: "%d/%d  %.2f notes/s", p.scoredThisRun, total, p.rate))
            })
        }
        bar.finish()
        for failure in report.failures { printError("failed: \(failure)") }
        var line = "scored \(report.scored) notes with \(scorer.identity.path)"
        if !report.failures.isEmpty { line += ", \(report.failures.count) failed" }
        line += "; \(report.remaining) not yet scored by this model"
        print(line)
        if report.cancelled {
            printError("interrupted: run drgcoder score again to resume")
            throw ExitCode(130)
        }
    }
}

/// Set once Ctrl-C arrives; read by the scoring loop and the model between layers.
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    private var source: DispatchSourceSignal?

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }

    /// Replaces SIGINT's default (kill the process) with setting the flag.
    static func installForSIGINT() -> InterruptFlag {
        let flag = InterruptFlag()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { flag.set() }
        source.resume()
        flag.source = source
        return flag
    }
}

import ArgumentParser
import CodingStore
import Foundation

/// `drgcoder audit replay --db F [--user U] [--since D] [--until D] [--disagreements] [--json]`:
/// each decision in order with what the model showed then and what the coder chose, and the
/// agreement rate between model and coder.
struct AuditReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Replay decisions with what the model showed; agreement rate.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this user's decisions.") var user: String?
    @Option(help: "From this UTC date (YYYY-MM-DD) or timestamp, inclusive.") var since: String?
    @Option(help: "Up to this UTC date (the whole day) or timestamp, inclusive.") var until: String?
    @Flag(help: "Only decisions where the coder chose another DRG than the model's top.") var disagreements = false
    @Flag(help: "Print {entries, comparable, agreements, agreement_rate} as JSON.") var json = false

    func run() throws {
        let filter = ReplayFilter(user: user, since: since, until: until, disagreementsOnly: disagreements)
        let replay = try StoreCommandSupport.run { try store.openForReading().replay(filter) }
        if json {
            print(try StoreCommandSupport.json(replay))
            return
        }
        for e in replay.entries {
            let shown = e.modelTopDRG.map { drg in
                "model \(drg)" + (e.modelTopProbability.map { String(format: " (%.0f%%)", $0 * 100) } ?? "")
            } ?? "no prediction shown"
            var line = "#\(e.seq) \(e.decidedAt) \(e.user) \(e.caseExternalID) \(e.action.rawValue)"
            if let chosen = e.chosenDRG { line += " \(chosen)" }
            if let target = e.reversesSeq { line += " of #\(target)" }
            line += "; \(shown)"
            if let reason = e.reasonCode { line += "; reason \(reason)" }
            if e.undone { line += " [undone]" }
            print(line)
        }
        let rate = replay.agreementRate.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a"
        print("\(replay.entries.count) decisions; agreement \(replay.agreements)/\(replay.comparable) = \(rate)")
    }
}

import ArgumentParser
import CodingStore
import Foundation

/// `drgcoder audit verify --db F [--json] [--expect-head HASH]`: walks the hash chain. Exit status 0
/// and the head hash when every row checks out; status 1 naming the first bad row otherwise.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check the decision log's hash chain; name the first bad row.",
        discussion: "Record the printed head hash: --expect-head later also catches removal of the newest rows.")

    @OptionGroup var store: StoreOptions
    @Option(help: "The head hash recorded at an earlier verification.") var expectHead: String?
    @Flag(help: "Print {ok, count, head_hash, first_bad} as JSON.") var json = false

    func run() throws {
        let result = try StoreCommandSupport.run { try store.open().verifyChain(expectedHead: expectHead) }
        if json {
            print(try StoreCommandSupport.json(result))
        } else if result.ok {
            print("ok: \(result.count) decisions, head \(result.headHash)")
        }
        if let bad = result.firstBad {
            throw CLIError("chain broken at decision #\(bad.seq): \(bad.reason) (\(result.count) rows verified before it)")
        }
    }
}

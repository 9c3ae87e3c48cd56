import ArgumentParser
import CodingStore
import Foundation

/// `drgcoder audit verify --db F [--json] [--anchor SEQ:HASH]... [--expect-head HASH]`: walks the
/// hash chain, the predictions and the cases' cached status and coded DRG. Exit status 0 and the
/// head anchor (`SEQ:HASH`) when everything checks out; status 1 naming the first bad row otherwise.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check the decision log's hash chain; name the first bad row.",
        discussion: """
            Keep the printed anchor (SEQ:HASH) outside the database; --anchor SEQ:HASH later checks that \
            the chain still passes through it (new decisions are fine; removed or rewritten rows are not).
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The head hash recorded at an earlier verification (the log must end there).") var expectHead: String?
    @Option(help: "SEQ:HASH printed by an earlier verification; the chain must still pass through it.")
    var anchor: [String] = []

    func validate() throws {
        for a in anchor where ChainAnchor(a) == nil {
            throw ValidationError("--anchor must be SEQ:HASH (a row number, a colon and 64 hex digits), as audit verify prints it.")
        }
    }
    @Flag(help: "Print {ok, count, head_hash, first_bad} as JSON.") var json = false

    func run() throws {
        let anchors = anchor.compactMap(ChainAnchor.init)
        let result = try StoreCommandSupport.run {
            try store.withDatabase { try $0.verifyChain(expectedHead: expectHead, anchors: anchors, after: nil) }
        }
        if json {
            print(try StoreCommandSupport.json(result))
        } else if result.ok {
            print("ok: \(result.count) decisions, head \(result.headHash)")
            if let head = result.headAnchor { print("anchor: \(head)") }
        }
        if let bad = result.firstBad {
            throw CLIError(bad.table == "decisions"
                ? "chain broken at decision #\(bad.seq): \(bad.reason) (\(result.count) rows verified before it)"
                : "log does not verify at \(bad.rowName): \(bad.reason)")
        }
    }
}

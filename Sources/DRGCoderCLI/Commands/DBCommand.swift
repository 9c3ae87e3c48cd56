import ArgumentParser
import CodingStore
import Foundation

/// `drgcoder db copy --from F --to URL`: moves a whole queue between stores (SQLite file ↔ PostgreSQL).
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Move a queue between a SQLite file and a PostgreSQL server.",
        subcommands: [DBCopyCommand.self])
}

/// `drgcoder db copy --from SRC --to DST`: every case, code, prediction and decision with its keys,
/// into an empty store. The source's chain is verified first (a broken log is not copied), every
/// decision passes the destination's chain checks as it is inserted (one transaction: all or
/// nothing), and the destination is verified after; both head hashes are printed and must match.
struct DBCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy", abstract: "Copy a whole queue, with its decision chain, into an empty store.",
        discussion: "SRC and DST are each a SQLite file or a postgresql:// URL; DST must hold no case (a new file, or a new database).")

    @Option(help: "The store to copy (a SQLite file or a postgresql:// URL).") var from: String
    @Option(help: "The empty store to copy into (a new SQLite file or a postgresql:// URL).") var to: String

    func run() throws {
        let source = StoreLocator(from), destination = StoreLocator(to)
        let (count, head) = try StoreCommandSupport.run { () -> (Int, String) in
            try source.withDatabase { from in
                let before = try from.verifyChain(expectedHead: nil, anchors: [], after: nil)
                if let bad = before.firstBad { throw CLIError("\(from.location) does not verify at \(bad.rowName): \(bad.reason); nothing copied") }
                let snapshot = try from.snapshot()
                return try destination.withDatabase(mustExist: false) { to in
                    try to.load(snapshot)
                    let after = try to.verifyChain(expectedHead: snapshot.headHash, anchors: [], after: nil)
                    if let bad = after.firstBad { throw CLIError("the copy in \(to.location) does not verify at \(bad.rowName): \(bad.reason)") }
                    return (snapshot.cases.count, after.headHash)
                }
            }
        }
        print("copied \(count) cases into \(destination.displayName); both verify, head \(head)")
    }
}

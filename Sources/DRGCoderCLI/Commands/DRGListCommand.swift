import ArgumentParser
import DRGKit

/// `drgcoder drg list`: every DRG of a version, one a line (or a JSON array), with DRG-LLaMA's
/// single-label and two-label indices on v34.
struct DRGListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every MS-DRG of a version.")

    @OptionGroup var options: DRGTableOptions

    func run() throws { print(try output()) }

    func output() throws -> String {
        let table = try options.table()
        let records = table.entries.map { DRGRecord($0, in: table) }
        if options.json { return try DRGOutput.json(records) }
        return records.map(DRGOutput.line).joined(separator: "\n")
    }
}

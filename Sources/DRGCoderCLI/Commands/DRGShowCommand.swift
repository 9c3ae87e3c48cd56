import ArgumentParser
import DRGKit

/// `drgcoder drg show CODE`: one DRG with its numbers, its base DRG, CC/MCC class, split family and
/// sibling DRGs.
struct DRGShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one MS-DRG.")

    @Argument(help: "The DRG code, e.g. 291 or 1.")
    var code: String

    @OptionGroup var options: DRGTableOptions

    func run() throws { print(try output()) }

    /// What `run` prints.
    func output() throws -> String {
        let table = try options.table()
        guard let entry = table.entry(code) else {
            throw CLIError("MS-DRG v\(table.version.rawValue) has no DRG '\(code)'")
        }
        let record = DRGRecord(entry, in: table)
        return options.json ? try DRGOutput.json(record) : DRGOutput.text(record, version: table.version)
    }
}

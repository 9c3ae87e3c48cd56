import ArgumentParser
import DRGKit

/// `drgcoder drg`: browse the MS-DRG tables DRGKit ships (v34 with DRG-LLaMA's label indices, v43 =
/// FY 2026 with weights). Read-only; needs no model or database.
///
///     drgcoder drg show 291 --version 43 --json
///     drgcoder drg search hart failure mcc
///     drgcoder drg list --version 34
///     drgcoder drg families --version 34
struct DRGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drg",
        abstract: "Browse the MS-DRG tables.",
        discussion: "Versions: 34 (MS-DRG v34, DRG-LLaMA's label spaces) and 43 (FY 2026, CMS weights). Default 43.",
        subcommands: [DRGShowCommand.self, DRGSearchCommand.self, DRGListCommand.self, DRGFamiliesCommand.self,
                      DRGWhatIfCommand.self, DRGCodesCommand.self])
}

/// The options every `drg` subcommand takes.
struct DRGTableOptions: ParsableArguments {
    @Option(name: .long, help: "MS-DRG version (v34 and v43 are accepted too).")
    var version: DRGVersion = .v43

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// The table of `--version`.
    func table() throws -> DRGTable { DRGTable.table(for: version) }
}

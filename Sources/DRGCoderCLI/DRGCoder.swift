import ArgumentParser

/// The `drgcoder` command tree. Each subcommand lives in its own file under `Commands/`;
/// the contract they follow is the command-line section of ../shared/DESIGN.md.
public struct DRGCoder: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "drgcoder",
        abstract: "Assign MS-DRGs to discharge summaries with an on-device DRG-LLaMA.",
        discussion: "Nothing leaves this machine: notes, predictions and decisions stay in the local SQLite file.",
        subcommands: [
            DemoCommand.self, ReviewCommand.self,
            ImportCommand.self, ScoreCommand.self, QueueCommand.self, DecideCommand.self,
            PredictCommand.self, TokenizeCommand.self, DRGCommand.self,
            ExportCommand.self, AuditCommand.self, EvalCommand.self, BenchCommand.self, ModelCommand.self,
        ]
    )

    public init() {}
}

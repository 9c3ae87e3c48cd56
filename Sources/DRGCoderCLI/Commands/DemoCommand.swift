#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import ReviewApp

/// `drgcoder demo`: the bundled synthetic queue with the bundled demo model. Creates the demo
/// database once (in $XDG_DATA_HOME/drgcoder/, default ~/.local/share/drgcoder/) from
/// models/demo/demo_cases.jsonl, then opens the coder's screen; final DRGs are never shown there.
/// Without a terminal it scores the demo queue and prints a summary instead.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Open the bundled demo queue with the bundled model.",
        discussion: "The demo database lives in $XDG_DATA_HOME/drgcoder/demo.sqlite (default ~/.local/share/drgcoder/).")

    @Option(help: "Who is deciding (default: $USER).") var user: String?
    @Option(help: "A theme name (\(ReviewSetup.themeNames)) or a .toml file (default: config.toml's, else default).") var theme: String?
    @Option(help: "The screen: the coder's, the auditor's (replay; findings are its only writes) or the trainer's (agreement, confusions, export).") var view: ViewMode = .code
    @Flag(help: "Recreate the demo database from the bundled cases (drops earlier demo decisions).") var reset = false

    func run() throws {
        guard let model = DemoSetup.locateModel() else {
            throw CLIError("the demo model is missing: no models/demo/ beside the executable or in \(FileManager.default.currentDirectoryPath)")
        }
        let database = try DemoSetup.prepareDatabase(model: model, reset: reset)
        if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
            let config = try ReviewConfig.load()   // the demo keeps its bundled model
            try ReviewSetup.launch(.init(database: database.path, model: model, modelOptions: try ModelOptions.parse([]),
                                         user: user ?? config.user, view: view, theme: theme ?? config.theme ?? "default",
                                         settings: config.settings))
        } else {
            try DemoSetup.scoreAndSummarize(database: database, model: model)
        }
    }
}

import ArgumentParser
import Foundation
import ReviewApp

/// `drgcoder review --db F [--model D] [--adapter D] [--labels L] [--user U] [--theme T] [--view code|audit|train]`:
/// the coder's, auditor's or trainer's screen on a queue database (see docs/TUI.md, docs/KEYBINDINGS.md).
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Open a coding queue in the review screen.",
        discussion: """
        Keys are listed with ? inside the program and in docs/KEYBINDINGS.md. Themes: \(ReviewSetup.themeNames); \
        NO_COLOR is honoured. Without --model every case is still codable by override. Defaults for user, theme, \
        model, base rate, the reason rule and moving on after a decision come from $XDG_CONFIG_HOME/drgcoder/config.toml \
        (see docs/TUI.md); options win.
        """)

    @Option(help: "The queue database (made by drgcoder import): a SQLite file or a postgresql:// URL (team mode, docs/TEAM.md).") var db: String?
    @Option(help: "A model directory in the HF layout (config.json, safetensors, tokenizer).") var model: String?
    @OptionGroup var modelOptions: ModelOptions
    @Option(help: "Who is deciding (default: $USER).") var user: String?
    @Option(help: "A theme name (\(ReviewSetup.themeNames)) or a .toml file (default: config.toml's, else default).") var theme: String?
    @Option(help: "The screen: the coder's, the auditor's (replay; findings are its only writes) or the trainer's (agreement, confusions, export).") var view: ViewMode = .code
    @Option(help: ArgumentHelp("Benchmark: replay N keys into an in-memory terminal while the model scores, print key-to-frame latency.",
                        visibility: .hidden)) var benchmarkKeys: Int?
    @Flag(help: "Print the key bindings as Markdown (docs/KEYBINDINGS.md) and exit.") var printKeybindings = false

    func validate() throws {
        if let benchmarkKeys, benchmarkKeys < 1 { throw ValidationError("--benchmark-keys must be at least 1.") }
        if db == nil && !printKeybindings { throw ValidationError("--db is required: the queue database to open.") }
    }

    func run() throws {
        if printKeybindings { print(ReviewKeyMap.markdown, terminator: ""); return }
        guard let db else { return }
        let config = try ReviewConfig.load()
        let options = ReviewSetup.Options(database: db,
                                          model: (model ?? config.model).map { URL(fileURLWithPath: $0) },
                                          modelOptions: modelOptions,
                                          user: user ?? config.user, view: view, theme: theme ?? config.theme ?? "default",
                                          settings: config.settings)
        try ReviewSetup.launch(options, benchmarkKeys: benchmarkKeys)
    }
}

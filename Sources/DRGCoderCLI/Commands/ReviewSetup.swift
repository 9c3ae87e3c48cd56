#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CodingStore
import DRGKit
import Foundation
import DRGInference
import LlamaInference
import ReviewApp
import TerminalUI

/// What `review` and `demo` share: opening the store and the model, finding themes, and either
/// taking the terminal or running the key-latency benchmark.
enum ReviewSetup {
    struct Options {
        /// A SQLite file or a postgresql:// URL (team mode, docs/TEAM.md).
        var database: String
        var model: URL?
        /// Adapter, labels, pad id, pooling, tokenizer, threads (default: one fewer than the cores).
        var modelOptions: ModelOptions
        var user: String?
        var view: ViewMode
        var theme: String
        /// The reason rule, base rate and moving on (config.toml).
        var settings = ReviewSettings()
    }

    static var themeNames: String { Theme.shippedNames.joined(separator: ", ") }

    static func launch(_ o: Options, benchmarkKeys: Int? = nil) throws {
        let theme: Theme
        do { theme = try Theme.load(o.theme, searching: themeDirectories()) } catch let e as ThemeError { throw CLIError(e.description) }
        let locator = StoreLocator(o.database)
        let database = try openStore(locator)
        let loaded = try o.model.map { try loadScorer($0, options: o.modelOptions) }
        let scorer = loaded?.scorer
        // Exports index labels by the loaded model's own label space (its drg_labels.json), not v34's;
        // a CAML model has none (its labels are a rules file): the default labels.
        let source = StoreReviewSource(store: database, scorer: scorer, labels: loaded?.exportLabels)
        let version = loaded?.catalogVersion ?? .v43
        var environment = ReviewEnvironment(catalog: DRGKitCatalog(version: version, payment: Payment(baseRate: o.settings.baseRate)),
                                            exportFormats: source.exportFormats,
                                            exportDirectory: exportDirectory(locator), settings: o.settings)
        environment.exportLabelSpace = source.exportLabelSpace
        let user = o.user ?? ProcessInfo.processInfo.environment["USER"] ?? "coder"
        let state = AppState(view: o.view, user: user, size: .zero, now: Date(), modelName: scorer?.modelName)

        if let keys = benchmarkKeys {
            let report = KeyLatencyBenchmark.run(keys: keys, state: state, environment: environment, source: source, scorer: scorer)
            print(report)
            if scorer != nil { exitSkippingBLASTeardown(0) }
            return
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CLIError("drgcoder review needs a terminal (use drgcoder queue and drgcoder decide in scripts)")
        }
        let outcome: ReviewProgram.Outcome
        do {
            outcome = try ReviewProgram.runInteractive(state: state, environment: environment, source: source, scorer: scorer, theme: theme)
        } catch let e as TerminalError { throw CLIError(e.description) }
        var line = "drgcoder \(o.view == .code ? "review" : o.view.rawValue): \(outcome.decisions) decision\(outcome.decisions == 1 ? "" : "s") recorded in \(locator.displayName)"
        if let sig = outcome.endingSignal { line += " (ended by signal \(sig))" }
        print(line)
        // A signal ended the program: exit as the shell expects (128 + signal) now the terminal is back.
        let status = outcome.endingSignal.map { 128 + $0 } ?? 0
        if scorer != nil { exitSkippingBLASTeardown(status) }
        if status != 0 { exit(status) }
    }

    /// The screen's store: the SQLite file (which must exist), or the PostgreSQL server, each call
    /// of which gives up after `serverAnswerWithin` seconds so the screen can say the server is out
    /// of reach and retry, instead of hanging on a key.
    static func openStore(_ locator: StoreLocator) throws -> any StoreBackend {
        if locator.isPostgres { return try locator.open(answerWithin: serverAnswerWithin) }
        guard FileManager.default.fileExists(atPath: locator.db) else {
            throw CLIError("no database at \(locator.db) (create one with drgcoder import)")
        }
        do { return try AppDatabase.openFile(at: URL(fileURLWithPath: locator.db)) } catch {
            throw CLIError("cannot open the database \(locator.db): \(error)")
        }
    }

    /// Seconds one store call of the screen waits for a PostgreSQL server.
    static let serverAnswerWithin: TimeInterval = 5

    /// Where exports go: beside a SQLite file; the current directory for a server's queue.
    static func exportDirectory(_ locator: StoreLocator) -> URL {
        locator.isPostgres ? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            : URL(fileURLWithPath: locator.db).deletingLastPathComponent()
    }

    /// Ends the process without running library destructors. After the model ran on a Dispatch
    /// worker thread, OpenBLAS's exit-time `blas_thread_shutdown` was seen to wait forever on one of
    /// its threads (main thread stuck in `gotoblas_quit`), so the program never exited. Everything
    /// of ours is finished and flushed by then: the store's writes are committed, the terminal is
    /// restored, stdout is flushed here.
    static func exitSkippingBLASTeardown(_ status: Int32) -> Never {
        fflush(nil)
        _exit(status)
    }

    /// The model of `--model` (DRG-LLaMA or CAML) as the screens' scorer.
    static func loadScorer(_ model: URL, options: ModelOptions) throws -> LoadedScorer {
        FileHandle.standardError.write(Data("drgcoder: loading the model in \(model.path)…\n".utf8))
        // One core is left to the screen unless --threads says otherwise.
        let threads = options.threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        return try options.loadScorer(model: model.path, threads: threads)
    }

    /// Where themes are looked for: $XDG_CONFIG_HOME/drgcoder/themes, then `themes/` beside the
    /// executable or above it (a checkout's .build/release/drgcoder), then ./themes.
    static func themeDirectories() -> [URL] {
        var out: [URL] = []
        let env = ProcessInfo.processInfo.environment
        let config = env["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".config")
        out.append(config.appendingPathComponent("drgcoder/themes"))
        if let found = findUpwards("themes", marker: "default.toml") { out.append(found) }
        out.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("themes"))
        return out
    }

    /// The first directory named `relative` that holds `marker`, beside the executable or up to six
    /// levels above it, then under the current directory.
    static func findUpwards(_ relative: String, marker: String) -> URL? {
        var starts: [URL] = []
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() { starts.append(exe.deletingLastPathComponent()) }
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in starts {
            var dir = start
            for _ in 0..<7 {
                let candidate = dir.appendingPathComponent(relative)
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) { return candidate }
                if dir.path == "/" { break }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }
}

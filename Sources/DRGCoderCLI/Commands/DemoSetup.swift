import CodingStore
import DRGKit
import Foundation
import ReviewApp

/// Finding the demo model, creating the demo database, and the summary printed without a terminal.
enum DemoSetup {
    /// models/demo (with its config.json) beside or above the executable, or under the current directory.
    static func locateModel() -> URL? {
        if let explicit = ProcessInfo.processInfo.environment["DRGCODER_DEMO_MODEL"] {
            let url = URL(fileURLWithPath: explicit)
            return FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) ? url : nil
        }
        return ReviewSetup.findUpwards("models/demo", marker: "config.json")
    }

    /// $XDG_DATA_HOME/drgcoder (default ~/.local/share/drgcoder), created mode 0700.
    static func dataDirectory() throws -> URL {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".local/share")
        let dir = base.appendingPathComponent("drgcoder")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw CLIError("cannot create \(dir.path): \(error.localizedDescription)") }
        return dir
    }

    /// The demo database, imported from `demo_cases.jsonl` the first time (or with `reset`). The
    /// import goes to a temporary file that is renamed into place, so a failed import leaves nothing.
    static func prepareDatabase(model: URL, reset: Bool) throws -> URL {
        let cases = model.appendingPathComponent("demo_cases.jsonl")
        guard FileManager.default.fileExists(atPath: cases.path) else { throw CLIError("the demo cases are missing: \(cases.path)") }
        let url = try dataDirectory().appendingPathComponent("demo.sqlite")
        if FileManager.default.fileExists(atPath: url.path) && !reset { return url }
        let temporary = url.deletingLastPathComponent().appendingPathComponent("demo.sqlite.importing-\(getpid())")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary.path + suffix) } }
        do {
            let database = try AppDatabase.openFile(at: temporary)
            let source = try makeCaseSource(format: .jsonl, url: cases)
            let summary = try database.importCases(from: source, fileName: cases.lastPathComponent, skipBadRows: false)
            try database.writer.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
            try FileManager.default.moveItem(at: temporary, to: url)
            FileHandle.standardError.write(Data("drgcoder demo: created \(url.path) with \(summary.inserted) synthetic cases\n".utf8))
        } catch let e as CLIError { throw e } catch {
            throw CLIError("cannot create the demo database from \(cases.path): \(error)")
        }
        return url
    }

    /// No terminal: score the queue with the demo model and print what it found.
    static func scoreAndSummarize(database url: URL, model: URL) throws {
        print("drgcoder demo: no terminal, so scoring the demo queue instead of opening the review screen")
        let loaded = try ReviewSetup.loadScorer(model, options: try ModelOptions.parse([]))
        let scorer = loaded.scorer
        let database: AppDatabase
        do { database = try AppDatabase.openFile(at: url) } catch { throw CLIError("cannot open \(url.path): \(error)") }
        let start = Date()
        let report = try database.scoreQueue(with: scorer)
        let seconds = Date().timeIntervalSince(start)
        let queue = try database.queueEntries()
        print("demo database: \(url.path) (\(queue.count) cases)")
        print(String(format: "scored %d cases with %@ in %.1f s (%d already scored, %d failed)", report.scored, model.path, seconds,
                     queue.filter { $0.topDRG != nil }.count - report.scored, report.failures.count))
        let catalog = DRGKitCatalog(version: loaded.catalogVersion)
        let paired = queue.compactMap { e -> (String, String)? in
            guard let top = e.topDRG, let final = e.finalDRG else { return nil }
            return (top, final)
        }
        if !paired.isEmpty {
            let hits = paired.filter { $0.0 == $0.1 }.count
            print(String(format: "top-1 agreement with the final DRGs: %d/%d (%.1f%%)", hits, paired.count, 100 * Double(hits) / Double(paired.count)))
            let weights = paired.compactMap { p -> (Double, Double)? in
                guard let a = catalog.entry(p.0)?.weight, let b = catalog.entry(p.1)?.weight else { return nil }
                return (a, b)
            }
            if let predicted = CaseMix.index(weights: weights.map(\.0)), let actual = CaseMix.index(weights: weights.map(\.1)),
               let error = CaseMix.error(predicted: weights.map(\.0), actual: weights.map(\.1)) {
                print(String(format: "predicted CMI %.3f · final CMI %.3f · CMI error %+.1f%%", predicted, actual, 100 * error))
            }
        }
        print("open it in a terminal: drgcoder demo (or drgcoder review --db \(url.path) --model \(model.path))")
    }
}

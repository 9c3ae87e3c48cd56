import ArgumentParser
import CodingStore
import Foundation

/// `--db F`, shared by the store's commands (import, score, queue, decide, export, audit, eval).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The coding database (SQLite; created mode 0600 if missing).")
    var db: String

    /// Opens the database. `mustExist` refuses to create one (read-only commands).
    func open(mustExist: Bool = true) throws -> AppDatabase {
        let url = URL(fileURLWithPath: db)
        if mustExist && !FileManager.default.fileExists(atPath: url.path) {
            throw CLIError("no database at \(db) (create one with drgcoder import)")
        }
        do {
            return try AppDatabase.openFile(at: url)
        } catch {
            throw CLIError("cannot open \(db) as a drgcoder database: \(error)")
        }
    }

    /// Opens the database, runs `body`, and closes it (checkpointing the WAL into the file).
    func withDatabase<T>(mustExist: Bool = true, _ body: (AppDatabase) throws -> T) throws -> T {
        let database = try open(mustExist: mustExist)
        defer { database.close() }
        return try body(database)
    }
}

/// Helpers the store's commands share.
enum StoreCommandSupport {
    /// The one case an external id names (with `source` when several sources have it).
    static func resolveCase(_ id: String, source: String?, in store: AppDatabase) throws -> CaseRecord {
        let found = try store.cases(externalID: id, source: source)
        if found.count == 1 { return found[0] }
        if found.isEmpty { throw CLIError("no case \(id)\(source.map { " from \($0)" } ?? "") in the database") }
        let sources = found.map(\.source).joined(separator: ", ")
        throw CLIError("case id \(id) exists in several sources (\(sources)); add --source")
    }

    /// Compact JSON with sorted keys, one line.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Runs `body`, turning store errors into one-line CLI errors.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CLIError {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// Writes to standard error (progress, warnings), never standard output.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

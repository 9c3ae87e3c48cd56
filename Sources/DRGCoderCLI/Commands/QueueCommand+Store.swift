import ArgumentParser
import CodingStore
import Foundation
import PostgresStore

/// `--db F`, shared by the store's commands (import, score, queue, decide, export, audit, eval, db):
/// a SQLite file, or a `postgresql://` URL for a department's shared queue (team mode, docs/TEAM.md).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The coding database: a SQLite file (created mode 0600 if missing) or a postgresql:// URL.",
        discussion: "A URL is postgresql://USER@HOST[:PORT]/DB[?sslmode=disable|prefer|require|verify-ca|verify-full]; the PG* variables and ~/.pgpass fill in the rest (keep passwords there, not on the command line)."))
    var db: String

    var isPostgres: Bool { StoreLocator(db).isPostgres }
    func open(mustExist: Bool = true) throws -> any StoreBackend { try StoreLocator(db).open(mustExist: mustExist) }
    func openFile(mustExist: Bool = true) throws -> AppDatabase { try StoreLocator(db).openFile(mustExist: mustExist) }
    func openForReading() throws -> AppDatabase { try StoreLocator(db).openForReading() }
    func withDatabase<T>(mustExist: Bool = true, _ body: (any StoreBackend) throws -> T) throws -> T {
        try StoreLocator(db).withDatabase(mustExist: mustExist, body)
    }
}

/// What a `--db` value names, and how to open it.
struct StoreLocator {
    let db: String
    init(_ db: String) { self.db = db }

    /// Whether it names a PostgreSQL server.
    var isPostgres: Bool { PostgresLocation.isURL(db) }

    /// For messages: a URL without its password, a path as given.
    var displayName: String { isPostgres ? PostgresLocation.redacted(db) : db }

    /// Opens the store. `mustExist` refuses to create a SQLite file (read-only commands); a
    /// PostgreSQL database must exist on the server (its tables are created on first use).
    /// `answerWithin`: seconds each PostgreSQL call may wait for the server (the review screen's bound).
    func open(mustExist: Bool = true, answerWithin: TimeInterval? = nil) throws -> any StoreBackend {
        guard isPostgres else { return try openFile(mustExist: mustExist) }
        do {
            return try PostgresAppDatabase.open(try PostgresLocation(url: db), answerWithin: answerWithin)
        } catch let error as PostgresStoreError {
            throw CLIError(error.description)
        } catch {
            throw CLIError("cannot open \(displayName): \(error)")
        }
    }

    /// The SQLite file itself (commands and options that exist for SQLite only).
    func openFile(mustExist: Bool = true) throws -> AppDatabase {
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

    /// A store to read with the SQLite code (export, replay, eval): the file, or for PostgreSQL an
    /// in-memory mirror of one consistent snapshot of the server's rows.
    func openForReading() throws -> AppDatabase {
        guard isPostgres else { return try openFile() }
        let server = try open()
        defer { server.close() }
        return try StoreCommandSupport.run { try AppDatabase.mirror(of: server.snapshot()) }
    }

    /// Opens the store, runs `body`, and closes it (SQLite: checkpointing the WAL into the file).
    func withDatabase<T>(mustExist: Bool = true, _ body: (any StoreBackend) throws -> T) throws -> T {
        let database = try open(mustExist: mustExist)
        defer { database.close() }
        return try body(database)
    }
}

/// Helpers the store's commands share.
enum StoreCommandSupport {
    /// The one case an external id names (with `source` when several sources have it).
    static func resolveCase(_ id: String, source: String?, in store: any StoreBackend) throws -> CaseRecord {
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

import Foundation
import GRDB

/// The coding store: one SQLite file holding the queue of cases, the model's predictions and the
/// hash-chained log of coding decisions. Every read and write of the program goes through this type.
///
/// ```swift
/// let store = try AppDatabase.openFile(at: URL(fileURLWithPath: "queue.sqlite"))
/// if let claimed = try store.claimNextCase(user: "alice") {
///     let row = try store.recordDecision(DecisionRequest(caseID: claimed.id, user: "alice", action: .accept))
///     print(row.hash)
/// }
/// ```
///
/// Contract:
/// - `AppDatabase` is a `Sendable` value that owns a GRDB `DatabaseWriter` (a `DatabasePool` in WAL
///   mode for files, a `DatabaseQueue` in memory for tests). Copies share the same connection(s).
/// - The schema comes from `AppDatabase.migrator`: frozen, string-named migrations that never
///   reference app types (STYLE.md item 12). Opening a file migrates it.
/// - Every mutation is one intention-named transaction (`importCases`, `claimNextCase`,
///   `recordDecision`, `savePrediction`, ...). Writes are `BEGIN IMMEDIATE` (GRDB's default for
///   writes), so two processes never interleave inside one.
/// - Busy databases are waited for inside the store (SQLite busy timeout, then a bounded retry of the
///   whole transaction); callers never see `SQLITE_BUSY` unless another process holds the write lock
///   for longer than `busyWait`.
///
/// It deliberately does not: log note text (PHI), cache rows, or run the model.
public struct AppDatabase: Sendable {
    /// The connection(s). Exposed for read-only inspection by tests and the TUI's `ValueObservation`s;
    /// mutate only through the intention-named methods.
    public let writer: any DatabaseWriter
    /// How long a transaction waits for another process's write lock in total before giving up.
    public let busyWait: TimeInterval

    /// Wraps an open writer and migrates it to the current schema.
    public init(_ writer: any DatabaseWriter, busyWait: TimeInterval = 60) throws {
        self.writer = writer
        self.busyWait = busyWait
        try Self.migrateSafely(writer)
    }

    /// An empty in-memory store (tests, previews).
    /// `foreignKeys: false` only for a mirror of part of a store (`mirror(of:foreignKeys:)`).
    public static func inMemory(foreignKeys: Bool = true) throws -> AppDatabase {
        var config = configuration()
        config.foreignKeysEnabled = foreignKeys
        return try AppDatabase(DatabaseQueue(configuration: config))
    }

    /// Opens (creating if needed, mode 0600; an existing file readable by others is tightened to
    /// owner-only) the database file at `url` as a WAL `DatabasePool`.
    /// SQLite creates the `-wal` and `-shm` files with the permissions of the main file.
    public static func openFile(at url: URL, busyWait: TimeInterval = 60) throws -> AppDatabase {
        try PrivateFile.ensureExists(at: url)
        PrivateFile.tighten(databaseAt: url)   // an existing 0644 file becomes 0600
        let pool = try withBusyRetry(for: busyWait) {
            try DatabasePool(path: url.path, configuration: configuration())
        }
        return try AppDatabase(pool, busyWait: busyWait)
    }

    /// Checkpoints the WAL into the database file (TRUNCATE) and closes the connections, so the
    /// `.sqlite` file alone holds every committed row once the last process has quit. Best effort:
    /// a reader in another process can keep the WAL alive (its own close checkpoints). The value
    /// must not be used afterwards.
    public func close() {
        guard let pool = writer as? DatabasePool else { return }
        _ = try? pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try? pool.close()
    }

    /// The GRDB configuration every connection uses: foreign keys on, a 5-second SQLite busy
    /// timeout per statement (the outer retry in `write` covers longer waits).
    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        config.label = "drgcoder.store"
        return config
    }

    /// Migrations race when several processes open a fresh file at once: the loser of the race
    /// fails on `CREATE TABLE` and then finds the schema complete, which is success.
    private static func migrateSafely(_ writer: any DatabaseWriter) throws {
        var lastError: (any Error)?
        for attempt in 0..<20 {
            do {
                try migrator.migrate(writer)
                return
            } catch {
                lastError = error
                if (try? writer.read({ try migrator.hasCompletedMigrations($0) })) == true { return }
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt + 1))
            }
        }
        if let lastError { throw lastError }
    }

    /// One write transaction, retried while SQLite reports the database busy or locked.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try Self.withBusyRetry(for: busyWait) { try writer.write(updates) }
    }

    /// One read, retried while busy (a WAL reader can meet `SQLITE_BUSY` during recovery).
    func read<T>(_ value: (Database) throws -> T) throws -> T {
        try Self.withBusyRetry(for: busyWait) { try writer.read(value) }
    }

    /// Runs `body` again, with growing pauses, while it throws `SQLITE_BUSY` / `SQLITE_LOCKED`,
    /// for at most `seconds`. Any other error is rethrown at once.
    static func withBusyRetry<T>(for seconds: TimeInterval, _ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        var pause = 0.002
        while true {
            do {
                return try body()
            } catch let error as DatabaseError
                where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && Date() < deadline {
                Thread.sleep(forTimeInterval: pause * Double.random(in: 0.5...1.5))
                pause = min(pause * 2, 0.25)
            }
        }
    }
}

import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an import stages what it reads before one short transaction moves it into the queue: a
/// database attached as `staging`, in a file **beside the queue database** (`.NAME.import-PID.staging`,
/// created 0600, with its journal), never SQLite's TEMP store. TEMP spills to SQLite's temporary
/// directory (`SQLITE_TMPDIR`, `TMPDIR`, then `/var/tmp`), where note text — PHI — would sit with
/// whatever protection that directory has. While an import runs, `temp_store` is MEMORY, so the few
/// statement journals SQLite makes stay in memory too.
///
/// The staging file is removed when the import ends, however it ends; files that killed imports left
/// (a process that no longer exists) are removed by the next import of the same database. An
/// in-memory database stages in memory. A full disk while staging is one line that names the
/// directory (`ImportStaging.describe`).
///
/// Thread safety: runs on the writer connection, outside any transaction (ATTACH cannot run inside
/// one); the caller's transactions run inside `body`.
enum ImportStaging {
    /// Attaches the staging database, runs `body`, detaches and removes it.
    static func with<T>(_ db: Database, databasePath: String, _ body: () throws -> T) throws -> T {
        let file = stagingURL(databasePath: databasePath)
        if let file {
            removeStale(besides: file)
            let fd = open(file.path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else {
                throw StoreError.io("cannot create the import's staging file \(file.path): \(String(cString: strerror(errno)))")
            }
            close(fd)
        }
        defer {
            try? db.execute(sql: "PRAGMA temp_store = DEFAULT")
            try? db.execute(sql: "DETACH DATABASE staging")
            if let file { unlink(file.path); unlink(file.path + "-journal") }
        }
        try db.execute(sql: "PRAGMA temp_store = MEMORY")
        try db.execute(sql: "ATTACH DATABASE ? AS staging", arguments: [file?.path ?? ":memory:"])
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw describe(error, databasePath: databasePath)
        }
    }

    /// `.NAME.import-PID.staging` beside a file database; nil for an in-memory one.
    static func stagingURL(databasePath: String, pid: Int32 = getpid()) -> URL? {
        guard !databasePath.isEmpty, databasePath != ":memory:", !databasePath.hasPrefix("file::memory:") else { return nil }
        let url = URL(fileURLWithPath: databasePath)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).import-\(pid).staging")
    }

    /// One line for a full disk: which directory is full, and that nothing was imported.
    static func describe(_ error: DatabaseError, databasePath: String) -> StoreError {
        let directory = stagingURL(databasePath: databasePath)?.deletingLastPathComponent().path ?? "memory"
        return .io("the disk holding \(directory) is full (SQLite: \(error.resultCode)); nothing was imported")
    }

    /// Removes staging files of this database whose process is gone (a killed import).
    static func removeStale(besides file: URL) {
        let directory = file.deletingLastPathComponent()
        let name = file.lastPathComponent
        guard let prefixEnd = name.range(of: ".import-") else { return }
        let prefix = String(name[..<prefixEnd.upperBound])
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), let pid = Int32(rest[..<dot]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory.appendingPathComponent(entry).path) }
        }
    }
}

import CodingStore
import Foundation

/// Where `import` puts a file's cases before a PostgreSQL server gets them: a SQLite file beside the
/// imported file (`.NAME.pg-import-PID.sqlite`, mode 0600), so note text (PHI) sits in no other
/// directory than the one that already holds it, and memory stays bounded however large the file.
/// Removed with its WAL files when the import ends; one left by an import that was killed (its
/// process gone) is removed by the next import of the same file. For a SQLite store it is the store itself.
struct ScratchStore {
    let database: AppDatabase
    private let file: URL?

    init(database: AppDatabase) { self.database = database; file = nil }

    init(besides input: URL) throws {
        let file = input.deletingLastPathComponent()
            .appendingPathComponent(".\(input.lastPathComponent).pg-import-\(ProcessInfo.processInfo.processIdentifier).sqlite")
        Self.removeFiles(file)
        Self.removeLeftovers(of: input)
        do {
            database = try AppDatabase.openFile(at: file)
        } catch {
            throw CLIError("cannot create the import's scratch file \(file.path) (an import into PostgreSQL stages "
                           + "the cases beside the file, so note text stays in its directory; that directory must be writable): \(error)")
        }
        self.file = file
    }

    func remove() {
        guard let file else { return }
        database.close()
        Self.removeFiles(file)
    }

    /// Scratch files of `input` whose import process no longer runs.
    static func removeLeftovers(of input: URL) {
        let directory = input.deletingLastPathComponent()
        let prefix = ".\(input.lastPathComponent).pg-import-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".sqlite") {
            guard let pid = Int32(name.dropFirst(prefix.count).dropLast(".sqlite".count)), pid > 0,
                  kill(pid, 0) == -1, errno == ESRCH else { continue }
            removeFiles(directory.appendingPathComponent(name))
        }
    }

    private static func removeFiles(_ file: URL) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
    }
}

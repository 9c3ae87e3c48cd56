import CodingStore
import Foundation

/// Where `import` puts a file's cases before a PostgreSQL server gets them: a SQLite file beside the
/// imported file (`.NAME.pg-import-PID.sqlite`, mode 0600), so note text (PHI) sits in no other
/// directory than the one that already holds it, and memory stays bounded however large the file.
/// Removed with its WAL files when the import ends. For a SQLite store it is the store itself.
struct ScratchStore {
    let database: AppDatabase
    private let file: URL?

    init(database: AppDatabase) { self.database = database; file = nil }

    init(besides input: URL) throws {
        let file = input.deletingLastPathComponent()
            .appendingPathComponent(".\(input.lastPathComponent).pg-import-\(ProcessInfo.processInfo.processIdentifier).sqlite")
        Self.removeFiles(file)
        do {
            database = try AppDatabase.openFile(at: file)
        } catch {
            throw CLIError("cannot create the import's scratch file \(file.path): \(error)")
        }
        self.file = file
    }

    func remove() {
        guard let file else { return }
        database.close()
        Self.removeFiles(file)
    }

    private static func removeFiles(_ file: URL) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
    }
}

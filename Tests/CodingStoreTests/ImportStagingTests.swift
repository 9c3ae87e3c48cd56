import Foundation
import GRDB
import TestSupport
import Testing
@testable import CodingStore

/// Imports stage note text beside the database, 0600, and nowhere else (issue 13: it used to go to
/// SQLite's TEMP store, which spills to /var/tmp); a full disk is one line naming the directory.
@Suite("Import staging")
struct ImportStagingTests {
    static let notes = (0..<300).map { #"{"id": "n\#($0)", "text": "Brief Hospital Course: pneumonia, day \#($0). "# + String(repeating: "x", count: 200) + #""}"# }

    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : nil
    }

    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : -1
    }

    @Test func stagingLivesBesideTheDatabaseOwnerOnlyAndIsRemoved() throws {
        let temp = try TemporaryDirectory(prefix: "staging"); defer { temp.cleanUp() }
        let db = temp.file("queue.sqlite")
        let notes = temp.file("notes.jsonl")
        try Self.notes.joined(separator: "\n").write(to: notes, atomically: true, encoding: .utf8)
        let store = try AppDatabase.openFile(at: db)
        let staging = try #require(ImportStaging.stagingURL(databasePath: db.path))
        #expect(staging.deletingLastPathComponent().path == temp.url.path)
        let seen = Locked<[mode_t?]>([])
        let sizes = Locked<[Int]>([])
        let summary = try store.importCases(from: try makeCaseSource(format: .jsonl, url: notes), fileName: "notes.jsonl",
                                            skipBadRows: false) { _, _ in
            seen.wrapped.append(Self.mode(staging.path)); sizes.wrapped.append(Self.size(staging.path))
        }
        #expect(summary.inserted == 300)
        let modes = seen.wrapped
        #expect(!modes.isEmpty && modes.allSatisfy { $0 == 0o600 }, "\(modes)")
        #expect(sizes.wrapped.contains { $0 > 8192 }, "the notes were not staged in the file: \(sizes.wrapped)")
        #expect(Self.mode(staging.path) == nil)                      // removed when the import ended
        let left = try FileManager.default.contentsOfDirectory(atPath: temp.url.path).filter { $0.contains("staging") }
        #expect(left.isEmpty, "\(left)")
        let tempTables = try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_temp_master") }
        #expect(tempTables == 0)
    }

    @Test func aKilledImportsStagingFileIsRemovedByTheNext() throws {
        let temp = try TemporaryDirectory(prefix: "staging"); defer { temp.cleanUp() }
        let db = temp.file("queue.sqlite")
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run(); finished.waitUntilExit()                 // a pid that no longer exists
        let stale = try #require(ImportStaging.stagingURL(databasePath: db.path, pid: finished.processIdentifier))
        try Data("note text".utf8).write(to: stale)
        let notes = temp.file("notes.jsonl")
        try Self.notes[0].write(to: notes, atomically: true, encoding: .utf8)
        let store = try AppDatabase.openFile(at: db)
        _ = try store.importCases(from: try makeCaseSource(format: .jsonl, url: notes), fileName: "notes.jsonl", skipBadRows: false)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }

    @Test func aFullDiskIsOneLineNamingTheDirectory() throws {
        let temp = try TemporaryDirectory(prefix: "staging"); defer { temp.cleanUp() }
        let path = temp.file("queue.sqlite").path
        let queue = try DatabaseQueue(path: path)
        do {
            try queue.writeWithoutTransaction { db in
                try ImportStaging.with(db, databasePath: path) {
                    // A real SQLITE_FULL: the staging database may not grow past two pages.
                    try db.execute(sql: "CREATE TABLE staging.t (x TEXT); PRAGMA staging.max_page_count = 2")
                    for _ in 0..<50 { try db.execute(sql: "INSERT INTO staging.t VALUES (?)", arguments: [String(repeating: "x", count: 2000)]) }
                }
            }
            Issue.record("the staging database grew past its limit")
        } catch let error as StoreError {
            #expect(error.description.contains("the disk holding \(temp.url.path) is full") && !error.description.contains("\n"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: ImportStaging.stagingURL(databasePath: path)?.path ?? "/"))
    }
}

import Foundation
import Testing
@testable import DRGCoderCLI

/// The scratch file an import into PostgreSQL stages its cases in (note text: it must not outlive
/// the import, nor pile up when imports are killed).
@Suite struct ScratchStoreTests {
    @Test func aKilledImportsScratchFileIsRemovedAndALiveOnesIsKept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("notes.jsonl")
        try Data("{}\n".utf8).write(to: input)
        // A pid above the kernel's limit (pid_max is at most 2^22) never runs; pid 1 always does.
        let dead = directory.appendingPathComponent(".notes.jsonl.pg-import-99999999.sqlite")
        let live = directory.appendingPathComponent(".notes.jsonl.pg-import-1.sqlite")
        let other = directory.appendingPathComponent(".other.jsonl.pg-import-99999999.sqlite")
        for file in [dead, live, other] { try Data().write(to: file) }
        try Data().write(to: URL(fileURLWithPath: dead.path + "-wal"))
        let scratch = try ScratchStore(besides: input)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        #expect(!names.contains(dead.lastPathComponent) && !names.contains(dead.lastPathComponent + "-wal"))
        #expect(names.contains(live.lastPathComponent) && names.contains(other.lastPathComponent))
        #expect(names.contains(".notes.jsonl.pg-import-\(ProcessInfo.processInfo.processIdentifier).sqlite"))
        scratch.remove()
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(
            ".notes.jsonl.pg-import-\(ProcessInfo.processInfo.processIdentifier).sqlite").path))
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
@testable import CodingStore

/// Issue 13: careless or hostile input is refused with one line naming the line and the field; nothing crashes.
@Suite("Hostile and careless import input")
struct HostileInputTests {
    static let good = #""id": "n-1", "text": "Brief Hospital Course:\nok\nDischarge Medications:\n""#

    /// Every field of the wrong type, one line each; the import names the line and the field.
    @Test(arguments: [
        (#""metadata": "a string""#, "metadata"), (#""metadata": 42"#, "metadata"), (#""metadata": [1, 2]"#, "metadata"),
        (#""metadata": true"#, "metadata"), (#""priority": "high""#, "priority"), (#""priority": 1.5"#, "priority"),
        (#""priority": true"#, "priority"), (#""final_drg": [291]"#, "final_drg"), (#""final_drg": true"#, "final_drg"),
        (#""admitted_on": 20260101"#, "admitted_on"), (#""discharged_on": {}"#, "discharged_on"),
        (#""hadm_id": 1.25"#, "hadm_id"), (#""hadm_id": false"#, "hadm_id"),
    ])
    func wrongTypesAreOneLine(_ field: String, _ name: String) throws {
        let message = try Self.importFailure(#"{\#(Self.good), \#(field)}"#)
        #expect(message.contains("line 2") && message.contains(name) && !message.contains("\n"), "\(message)")
    }

    @Test(arguments: [#"{"id": [1], "text": "x"}"#, #"{"id": true, "text": "x"}"#, #"{"id": "n-2", "text": 7}"#,
                      #"{"id": "  ", "text": "x"}"#, #"{"id": "a\nb", "text": "x"}"#, #"{"id": "a\u0000b", "text": "x"}"#,
                      #"{"id": "\t", "text": "x"}"#, "[1, 2]", "null"])
    func badIDsAndShapesAreOneLine(_ line: String) throws {
        let message = try Self.importFailure(line)
        #expect(message.contains("line 2") && !message.contains("\n"), "\(message)")
    }

    @Test func nullOptionalFieldsMeanAbsent() throws {
        let store = try AppDatabase.inMemory()
        let url = try Self.file(#"{\#(Self.good), "metadata": null, "priority": null, "final_drg": null, "hadm_id": 12}"#)
        let summary = try store.importCases(from: makeCaseSource(format: .jsonl, url: url), fileName: "x.jsonl", skipBadRows: false)
        #expect(summary.inserted == 1)
        #expect(try store.cases(externalID: "n-1").first?.hadmID == "12")
    }

    @Test func enqueueRefusesBadIDs() throws {
        let store = try AppDatabase.inMemory()
        for id in [" ", "a\nb", "x\u{0}"] {
            #expect(throws: StoreError.self) { try store.enqueue(IncomingCase(externalID: id, noteText: "note"), source: "jsonl") }
        }
    }

    @Test func exportsGoOnlyToANewPathOrARegularFile() throws {
        let store = try AppDatabase.inMemory()
        let dir = try TemporaryDirectory(prefix: "codingstore").url
        let fifo = dir.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let target = dir.appendingPathComponent("real.jsonl")
        try "keep".write(to: target, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("link.jsonl")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        for url in [fifo, link, URL(fileURLWithPath: "/dev/null"), dir] {
            #expect(throws: StoreError.self) { try store.export(.jsonl, to: url) }
        }
        var info = stat()
        #expect(lstat(fifo.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)   // still a FIFO
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep")          // the link's target untouched
        #expect(try store.export(.jsonl, to: target).rows == 0)                      // a regular file is replaced
    }

    @Test func partialFilesOfKilledExportsAreRemoved() throws {
        let store = try AppDatabase.inMemory()
        let dir = try TemporaryDirectory(prefix: "codingstore").url
        let out = dir.appendingPathComponent("out.jsonl")
        let stale = dir.appendingPathComponent(".out.jsonl.2147483646.partial")   // no such process
        let running = dir.appendingPathComponent(".out.jsonl.1.partial")          // pid 1 runs: not ours to remove
        try "PHI".write(to: stale, atomically: false, encoding: .utf8)
        try "busy".write(to: running, atomically: false, encoding: .utf8)
        try store.export(.jsonl, to: out)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: running.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [".out.jsonl.1.partial", "out.jsonl"])
    }

    /// A first good line, then `line`: the import's one-line error.
    static func importFailure(_ line: String) throws -> String {
        let store = try AppDatabase.inMemory()
        let url = try file(#"{"id": "n-0", "text": "fine"}"# + "\n" + line)
        do {
            _ = try store.importCases(from: makeCaseSource(format: .jsonl, url: url), fileName: "x.jsonl", skipBadRows: false)
        } catch {
            return "\(error)"
        }
        Issue.record("\(line) was imported")
        return ""
    }

    static func file(_ text: String) throws -> URL {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("x.jsonl")
        try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}

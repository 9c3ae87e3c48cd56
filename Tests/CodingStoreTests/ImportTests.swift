import Foundation
import TestSupport
import GRDB
import Testing
@testable import CodingStore

@Suite("Importers")
struct ImportTests {
    func mimic(_ store: AppDatabase, skip: Bool, drgcodes: Bool = true) throws -> ImportSummary {
        let mapping = drgcodes ? try DRGCodesMapping.load(drgcodes: Fixtures.url("drgcodes_sample.csv")) : nil
        let source = try makeCaseSource(format: .mimicIV, url: Fixtures.url("discharge_sample.csv"), drgCodes: mapping)
        return try store.importCases(from: source, fileName: "discharge_sample.csv", skipBadRows: skip)
    }

    func caseCount(_ store: AppDatabase) throws -> Int { try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM cases") ?? -1 } }

    @Test(arguments: StoreKind.allCases)
    func aBadRowImportsNothingFromTheFile(_ kind: StoreKind) throws {
        let store = try kind.make()
        do {
            _ = try mimic(store, skip: false)
            Issue.record("the malformed row was accepted")
        } catch let failure as ImportFailure {
            #expect(failure.row.location == "line 78")
            #expect(failure.row.reason == "expected 8 fields, found 4")
            #expect(failure.description.contains("nothing was imported"))
        }
        #expect(try caseCount(store) == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func skippingBadRowsImportsTheRestOnce(_ kind: StoreKind) throws {
        let store = try kind.make()
        let summary = try mimic(store, skip: true)
        #expect(summary.inserted == 8)
        #expect(summary.duplicatesInFile.map(\.location) == ["line 65"])
        #expect(summary.skipped.map(\.location) == ["line 78", "line 124"])
        #expect(summary.skipped[1].reason == "field 8 is not valid UTF-8 (text)")
        #expect(summary.wholeNoteFallbacks == 1)
        #expect(summary.insertedWithFinalDRG == 5)

        let again = try mimic(store, skip: true)
        #expect(again.inserted == 0 && again.alreadyPresent == 8)
        #expect(try caseCount(store) == 8)
    }

    @Test func notesSectionsAndFinalDRGs() throws {
        let store = try StoreKind.inMemoryQueue.make()
        _ = try mimic(store, skip: true)
        let first = try #require(try store.cases(externalID: "10000000-DS-1").first)
        #expect(first.source == "mimic-iv" && first.hadmID == "20000000" && first.subjectID == "10000000")
        #expect(first.dischargedOn == "2180-01-10 00:00:00")
        #expect(first.noteText.contains("Line two, with a comma.\n\nMedications on Admission:"))   // multi-line field intact
        #expect(first.sectionSource == .pattern1)
        #expect(first.sectionText == HospitalCourseExtractor.extract(first.noteText).text)
        #expect(first.sectionText.hasPrefix("\nPatient admitted"))
        #expect(first.finalDRG == "291")
        let noSection = try #require(try store.cases(externalID: "10000004-DS-5").first)
        #expect(noSection.sectionSource == .wholeNote && noSection.sectionText == noSection.noteText)
        #expect(noSection.finalDRG == nil)   // "URINARY STONES W MCC" has no v34 DRG
        let finals = try ["10000001-DS-2", "10000002-DS-3", "10000003-DS-4", "10000005-DS-6"].map {
            try store.cases(externalID: $0).first?.finalDRG
        }
        #expect(finals == ["690", "193", "470", "442"])   // 442 through DRG-LLaMA's hand mapping
    }

    @Test func drgcodesFollowDRGLlamaMapping() throws {
        let mapping = try DRGCodesMapping.load(drgcodes: Fixtures.url("drgcodes_sample.csv"))
        #expect(mapping.hcfaRows == 6)
        #expect(mapping.unmappedRows == 1)
        #expect(mapping.byAdmission["20000000"] == "291")   // APR row ignored
        #expect(V34Descriptions.normalise("A & B W/O CC, W MCC PROC X") == "A AND B WITHOUT CC WITH MCC PROCEDURES X")
    }

    @Test func reimportFillsInFinalDRGsOnly() throws {
        let store = try StoreKind.inMemoryQueue.make()
        _ = try mimic(store, skip: true, drgcodes: false)
        let again = try mimic(store, skip: true, drgcodes: true)
        #expect(again.inserted == 0 && again.finalDRGFilledIn == 5)
    }

    @Test func jsonlCSVAndTextDirectories() throws {
        let dir = try TemporaryDirectory(prefix: "codingstore").url
        let jsonl = dir.appendingPathComponent("cases.jsonl")
        try """
            {"id": "j1", "text": "Brief Hospital Course:\\nfine\\nDischarge Medications:", "final_drg": "291", "priority": 3, "metadata": {"unit": "7N"}}
            {"id": 2, "text": "plain note"}

            {"id": "j3"}
            not json
            """.write(to: jsonl, atomically: true, encoding: .utf8)
        let store = try StoreKind.inMemoryQueue.make()
        #expect(throws: ImportFailure.self) {
            try store.importCases(from: makeCaseSource(format: .jsonl, url: jsonl), fileName: "cases.jsonl", skipBadRows: false)
        }
        let s = try store.importCases(from: makeCaseSource(format: .jsonl, url: jsonl), fileName: "cases.jsonl", skipBadRows: true)
        #expect(s.inserted == 2 && s.skipped.map(\.location) == ["line 4", "line 5"])
        let j1 = try #require(try store.cases(externalID: "j1").first)
        #expect(j1.finalDRG == "291" && j1.priority == 3 && j1.metadataJSON == #"{"unit":"7N"}"# && j1.sectionSource == .pattern2)
        #expect(try store.cases(externalID: "2").first?.sectionSource == .wholeNote)

        let csv = dir.appendingPathComponent("cases.csv")
        try "case,body,drg,ward\nc1,\"multi\nline\",1,A\nc2,x,abc,B\n".write(to: csv, atomically: true, encoding: .utf8)
        let columns = CSVColumns(id: "case", text: "body", finalDRG: "drg")
        let c = try store.importCases(from: makeCaseSource(format: .csv, url: csv, columns: columns), fileName: "cases.csv", skipBadRows: true)
        #expect(c.inserted == 1 && c.skipped.first?.reason == "drg 'abc' is not a DRG code")
        #expect(try store.cases(externalID: "c1").first?.finalDRG == "001")
        #expect(try store.cases(externalID: "c1").first?.metadataJSON == #"{"ward":"A"}"#)
        #expect(throws: StoreError.self) { try makeCaseSource(format: .csv, url: csv) }   // no "id" column

        let texts = dir.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: texts, withIntermediateDirectories: true)
        try "note a".write(to: texts.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try Data([0x61, 0xFF]).write(to: texts.appendingPathComponent("b.txt"))
        try "ignored".write(to: texts.appendingPathComponent("c.md"), atomically: true, encoding: .utf8)
        let t = try store.importCases(from: makeCaseSource(format: .textDirectory, url: texts), fileName: "notes", skipBadRows: true)
        #expect(t.inserted == 1 && t.skipped == [BadRow(location: "b.txt", reason: "is not valid UTF-8")])
        #expect(try store.cases(externalID: "a", source: "text-dir").count == 1)
    }

    @Test func databaseFileIsPrivate() throws {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("private.sqlite")
        let store = try AppDatabase.openFile(at: url)
        try addCases(store, count: 1)
        for path in [url.path, url.path + "-wal"] where FileManager.default.fileExists(atPath: path) {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path) has mode \(String(describing: mode))")
        }
    }
}

/// A source that hands out one note, then waits until `release` is set before the next: an import
/// caught in the middle of a big file.
final class PausingSource: CaseSource, @unchecked Sendable {   // used by one thread at a time; flags are locked
    let sourceName = "jsonl"
    let release = Flag()
    let paused = Flag()
    private var handedOut = 0
    var progress: (done: Int64, total: Int64) { (Int64(handedOut), 2) }

    func next() -> (location: String, result: Result<IncomingCase, BadRow>)? {
        handedOut += 1
        if handedOut == 2 {
            paused.set()
            _ = release.wait(timeout: 60)   // bounded: a failed test must not leave this thread behind
        }
        guard handedOut <= 2 else { return nil }
        return ("line \(handedOut)", .success(IncomingCase(externalID: "slow-\(handedOut)", noteText: "note \(handedOut)")))
    }
}

@Suite("Import and coders at the same time")
struct ImportConcurrencyTests {
    @Test func aLongImportDoesNotBlockDecisions() throws {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("shared.sqlite")
        let importer = try AppDatabase.openFile(at: url)
        let coder = try AppDatabase.openFile(at: url, busyWait: 1)
        let ids = try addCases(coder, count: 1)
        let source = PausingSource()
        let finished = Flag()
        let outcome = Locked<Result<ImportSummary, any Error>?>(nil)
        let thread = Thread {
            outcome.wrapped = Result { try importer.importCases(from: source, fileName: "slow.jsonl", skipBadRows: false) }
            finished.set()
        }
        thread.start()
        defer { source.release.set() }   // whatever fails below, the import thread goes on
        try #require(source.paused.wait(timeout: 30), "the import never reached its second note")
        // The import is half-way through its file: a coder still claims and decides at once.
        #expect(try coder.claimNextCase(user: "alice")?.id == ids[0])
        #expect(try coder.recordDecision(DecisionRequest(caseID: ids[0], user: "alice", action: .defer)).seq == 1)
        #expect(try coder.cases(externalID: "slow-1").isEmpty)   // nothing of the import is visible yet
        source.release.set()
        try #require(finished.wait(timeout: 30), "the import did not finish after it was released")
        let summary = try #require(try outcome.wrapped?.get())   // the import itself succeeded
        #expect(summary.inserted == 2)
        #expect(try coder.cases(externalID: "slow-1").count == 1 && coder.cases(externalID: "slow-2").count == 1)
    }
}

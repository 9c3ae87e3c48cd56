import CodingStore
import DRGKit
import Foundation
import TestSupport
import Testing

/// MIMIC-IV code files, chart-timed notes and early prediction on every backend (SQLite in memory,
/// SQLite on file, PostgreSQL): the same imports, all or nothing, the same predictions, and a copy
/// between backends carries the notes and early predictions.
@Suite struct NotesAndCodesBackendTests {
    static func write(_ text: String, _ name: String) throws -> URL {
        let url = try TemporaryDirectory(prefix: "backend-import").file(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func note(_ caseID: String, _ id: String, _ time: String, _ text: String, type: String = "RR") -> String {
        ChartNoteFixture.note(caseID, id, time, text, type: type)
    }

    static let stay = ChartNoteFixture.stay.joined(separator: "\n")

    /// Answers 193 for a text that mentions pneumonia, else 291.
    final class TextScorer: Scorer, @unchecked Sendable {
        let identity = ModelIdentity(path: "/models/caml", weightsSHA256: String(repeating: "c", count: 64), adapterSHA256: nil,
                                     labelSpace: "caml-ms-drg:MSDRG_RULE43.csv")
        func score(text: String, isCancelled: @escaping @Sendable () -> Bool,
                   progress: @escaping @Sendable (Double) -> Void) throws -> ScoredPrediction {
            ScoredPrediction(prediction: samplePrediction(top: text.contains("pneumonia") ? "193" : "291"), modelName: "caml")
        }
    }

    func importNotes(_ store: any StoreBackend, _ text: String, skipBadRows: Bool = false) throws -> NotesImportSummary {
        try store.importChartNotes(format: .notesJSONL, url: Self.write(text, "notes.jsonl"), skipBadRows: skipBadRows, now: Date(),
                                   progress: nil)
    }

    @Test(arguments: Backend.available)
    func chartNotesMakeStaysAndEarlyPredictionsGoStaleTheSameWay(_ backend: Backend) async throws {
        let (store, cleanUp) = try await backend.make()
        let summary = try importNotes(store, Self.stay)
        #expect(summary.inserted == 5 && summary.casesCreated == 2 && summary.discharged == 1 && summary.alreadyPresent == 0)
        let again = try importNotes(store, Self.stay)
        #expect(again.inserted == 0 && again.alreadyPresent == 5 && again.casesCreated == 0 && again.discharged == 0)
        let a = try #require(try store.cases(externalID: "A", source: "jsonl").first)
        let b = try #require(try store.cases(externalID: "B", source: "jsonl").first)
        #expect(a.dischargedOn == nil && b.dischargedOn == "2180-01-05 10:00:00")
        #expect(b.finalDRG == "871" && b.finalAPRDRG == "720-4" && a.admittedOn == "2180-01-01 08:00:00")
        #expect(try store.caseNotes(caseID: a.id).map(\.noteID) == ["a1", "a2", "a3"])
        #expect(try store.queueEntries().map { "\($0.externalID) \($0.inHospital)" } == ["A true", "B false"])
        #expect(try store.caseRecord(id: a.id)?.noteText.contains("[RR 2180-01-02 07:59:00]\nEcho") == true)

        let scorer = TextScorer()
        let first = try store.scoreEarly(with: scorer, cutoff: .hours24)
        #expect(first.scored == 2 && first.upToDate == 0)
        #expect(try store.scoreEarly(with: scorer, cutoff: .hours24).upToDate == 2)
        _ = try importNotes(store, Self.note("A", "a4", "2180-01-03 09:00:00", "Stable."))   // after 24 h: changes nothing
        #expect(try store.scoreEarly(with: scorer, cutoff: .hours24).upToDate == 2)
        func working() throws -> WorkingDRG? { try store.queueEntries().first { $0.externalID == "A" }?.working }
        let before = try #require(try working())
        #expect(before.drg == "291" && before.cutoff == .hours24 && before.notesRead == 2 && !before.stale)
        _ = try importNotes(store, Self.note("A", "a5", "2180-01-01 20:00:00", "CXR: pneumonia."))
        #expect(try working()?.stale == true)   // a note inside the window since
        let redo = try store.scoreEarly(with: scorer, cutoff: .hours24)
        #expect(redo.scored == 1 && redo.upToDate == 1)
        let early = try store.snapshot().earlyPredictions
        #expect(early.map(\.topDRG) == ["291", "291", "193"] && early.last?.notesRead == 3)   // a new row, never an update
        #expect(try working()?.drg == "193" && working()?.stale == false)
        #expect(try store.verify().ok)
        await cleanUp()
    }

    @Test(arguments: Backend.available)
    func aBadNoteImportsNothingAndNamesTheLine(_ backend: Backend) async throws {
        let (store, cleanUp) = try await backend.make()
        let bad = Self.stay + "\n" + Self.note("C", "c1", "yesterday", "x")
        #expect {
            _ = try importNotes(store, bad)
        } throws: { "\($0)".contains("line 6") && "\($0)".contains("charttime 'yesterday'") && "\($0)".contains("nothing was imported") }
        #expect(try store.queueEntries().isEmpty && store.snapshot().notes.isEmpty)
        let skipped = try importNotes(store, bad, skipBadRows: true)
        #expect(skipped.inserted == 5 && skipped.skipped.count == 1)
        await cleanUp()
    }

    @Test(arguments: Backend.available)
    func mimicCodesAreAllOrNothingAcrossBatches(_ backend: Backend) async throws {
        let (store, cleanUp) = try await backend.make()
        for (id, hadm) in [("a1", "100"), ("a2", "200")] {
            var incoming = IncomingCase(externalID: id, noteText: "Brief Hospital Course:\nx\nDischarge Medications:\n")
            incoming.hadmID = hadm
            _ = try store.enqueue(incoming, source: "jsonl", now: Date())
        }
        let header = "subject_id,hadm_id,seq_num,icd_code,icd_version\n"
        let good = try Self.write(header + "1,200,1,I5021,10\n1,200,2,4280,9\n1,200,3,N179,10\n2,999,1,I10,10\n", "diagnoses_icd.csv")
        var ticks = 0
        let summary = try store.importMIMICCodes(.diagnoses, from: good) { _, _ in ticks += 1 }
        #expect(summary.file == "diagnoses_icd.csv" && summary.rowsRead == 4 && summary.icd9Rows == 1 && summary.inserted == 3
                && summary.withoutCase == 1 && summary.alreadyPresent == 0 && summary.retiredICD10Rows == 0)
        #expect(ticks >= 1)
        #expect(try store.snapshot().codes.map { "\($0.code.kind.rawValue) \($0.code.code) \($0.code.icdVersion) \($0.source)" }
                == ["pdx I5021 10 mimic-iv", "sdx 4280 9 mimic-iv", "sdx N179 10 mimic-iv"])
        #expect(try store.importMIMICCodes(.diagnoses, from: good, progress: nil).alreadyPresent == 3)

        // A repeated seq_num far apart (another staging batch on PostgreSQL) and a bad code at the end: nothing stored.
        var rows = (1...5_000).map { "1,100,\($0 + 1),E119,10" }
        rows.append("1,100,2,E871,10")
        let twice = try Self.write(header + rows.joined(separator: "\n") + "\n", "twice.csv")
        #expect {
            try store.importMIMICCodes(.diagnoses, from: twice, progress: nil)
        } throws: { error in
            error is CodesImportFailure
                && "\(error)" == "twice.csv line 5002: hadm_id 100 has seq_num 2 twice; nothing was imported from this file"
        }
        rows.removeLast()
        rows.append("1,100,9999,4019,10")
        let late = try Self.write(header + rows.joined(separator: "\n") + "\n", "late.csv")
        #expect {
            try store.importMIMICCodes(.diagnoses, from: late, progress: nil)
        } throws: { error in
            "\(error)" == "late.csv line 5002: '4019' looks like an ICD-9-CM diagnosis code; ICD-10-CM is needed; nothing was imported from this file"
        }
        #expect(try store.snapshot().codes.count == 3)
        await cleanUp()
    }

    /// An import's staged cases reach the store page by page (PostgreSQL) with their codes; cases the store
    /// has already are counted, not added.
    @Test(arguments: Backend.available)
    func stagedCasesAreAppendedInPages(_ backend: Backend) async throws {
        let staged = try AppDatabase.inMemory()
        for i in 1...5 {
            var incoming = IncomingCase(externalID: "s\(i)", noteText: "Brief Hospital Course:\nnote \(i)\nDischarge Medications:\n")
            incoming.codes = [CaseCode(kind: .pdx, code: "I5021", seq: 1), CaseCode(kind: .sdx, code: "N179", seq: 2)]
            _ = try staged.enqueue(incoming, source: "jsonl", now: Date())
        }
        let (store, cleanUp) = try await backend.make()
        _ = try store.enqueue(IncomingCase(externalID: "s3", noteText: "already here"), source: "jsonl", now: Date())
        #expect(try store.appendCases(streamingFrom: staged, batchSize: 2) == 4)
        let copied = try store.snapshot()
        #expect(copied.cases.map(\.externalID) == ["s3", "s1", "s2", "s4", "s5"])
        #expect(copied.codes.count == 8 && Set(copied.codes.map(\.caseID)) == Set(copied.cases.dropFirst().map(\.id)))
        #expect(try store.appendCases(streamingFrom: staged, batchSize: 2) == 0)
        await cleanUp()
    }

    /// A store with notes and early predictions copied onto every backend and back: the same rows.
    @Test(arguments: Backend.available)
    func copiesCarryNotesAndEarlyPredictions(_ backend: Backend) async throws {
        let source = try AppDatabase.inMemory()
        _ = try importNotes(source, Self.stay)
        _ = try source.scoreEarly(with: TextScorer(), cutoff: .now)
        let snapshot = try source.snapshot()
        #expect(snapshot.notes.count == 5 && snapshot.earlyPredictions.count == 2)
        #expect(snapshot.cases.contains { $0.finalAPRDRG == "720-4" })
        let (store, cleanUp) = try await backend.make()
        try store.load(snapshot)
        #expect(try store.snapshot() == snapshot)
        #expect(try store.scoreEarly(with: TextScorer(), cutoff: .now).upToDate == 2)
        _ = try importNotes(store, Self.note("A", "a9", "2180-01-01 09:30:00", "pneumonia"))   // a new note after the copied ones
        let back = try AppDatabase.inMemory()
        try back.load(try store.snapshot())
        #expect(try back.snapshot().notes.count == 6)
        #expect(try back.evaluationSet(modelPath: "/models/caml", cutoff: .now).truths == ["871"])
        await cleanUp()
    }
}

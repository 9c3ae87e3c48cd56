import DRGKit
import Foundation
import GRDB
import Testing
import TestSupport
@testable import CodingStore

/// Early DRG prediction in the store (issue 19, migration "v5 case notes"): chart-timed notes per
/// stay, inputs up to a cut-off, re-scoring when a note arrives in the window, patients in hospital.
@Suite("Early prediction store")
struct EarlyPredictionTests {
    /// Answers a fixed ranking and remembers the texts it read.
    final class RecordingScorer: Scorer, @unchecked Sendable {
        // @unchecked: `texts` only under `lock`.
        let identity = ModelIdentity(path: "/models/caml", weightsSHA256: String(repeating: "c", count: 64), adapterSHA256: nil,
                                     labelSpace: "caml-ms-drg:MSDRG_RULE43.csv")
        private let lock = NSLock()
        private var seen: [String] = []
        var texts: [String] { lock.withLock { seen } }
        func score(text: String, isCancelled: @escaping @Sendable () -> Bool,
                   progress: @escaping @Sendable (Double) -> Void) throws -> ScoredPrediction {
            lock.withLock { seen.append(text) }
            return ScoredPrediction(prediction: samplePrediction(top: text.contains("pneumonia") ? "193" : "291"), modelName: "caml")
        }
    }

    static func note(_ caseID: String, _ id: String, _ time: String, _ text: String, type: String = "RR", extra: String = "") -> String {
        ChartNoteFixture.note(caseID, id, time, text, type: type, extra: extra)
    }

    static func write(_ lines: [String]) throws -> URL {
        let url = try TemporaryDirectory(prefix: "notes").file("notes.jsonl")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static let stay = ChartNoteFixture.stay

    @Test(arguments: StoreKind.allCases)
    func notesMakeStaysThatStayInHospitalUntilDischarged(kind: StoreKind) throws {
        let db = try kind.make()
        let summary = try db.importChartNotes(format: .notesJSONL, url: Self.write(Self.stay), skipBadRows: false)
        #expect(summary.inserted == 5 && summary.casesCreated == 2 && summary.discharged == 1 && summary.alreadyPresent == 0)
        let again = try db.importChartNotes(format: .notesJSONL, url: Self.write(Self.stay), skipBadRows: false)
        #expect(again.inserted == 0 && again.alreadyPresent == 5 && again.casesCreated == 0)
        let queue = try db.queueEntries()
        let a = try #require(queue.first { $0.externalID == "A" }), b = try #require(queue.first { $0.externalID == "B" })
        #expect(a.inHospital && !b.inHospital)
        let bRecord = try db.caseRecord(id: b.id)
        #expect(b.finalDRG == "871" && bRecord?.finalAPRDRG == "720-4")
        #expect(try db.caseNotes(caseID: a.id).map(\.noteID) == ["a1", "a2", "a3"])
        // A stay created from notes shows its notes so far.
        #expect(try db.caseRecord(id: a.id)?.noteText.contains("[RR 2180-01-02 07:59:00]\nEcho") == true)
        // Notes are immutable.
        #expect(throws: DatabaseError.self) { try db.writer.write { try $0.execute(sql: "UPDATE case_notes SET text = 'x'") } }
        #expect(throws: DatabaseError.self) { try db.writer.write { try $0.execute(sql: "DELETE FROM case_notes") } }
    }

    @Test func theWindowReadsNotesChartedBeforeTheCutOff() throws {
        let notes = [CaseNoteRecord(id: 1, caseID: 1, noteID: "1", noteType: "ED", chartTime: "2180-01-01 09:00:00", text: "one"),
                     CaseNoteRecord(id: 3, caseID: 1, noteID: "3", noteType: "RR", chartTime: "2180-01-02 08:00:00", text: "three"),
                     CaseNoteRecord(id: 2, caseID: 1, noteID: "2", noteType: "RR", chartTime: "2180-01-02 07:59:59", text: "two"),
                     CaseNoteRecord(id: 4, caseID: 1, noteID: "4", noteType: "DS", chartTime: "2180-01-05 08:00:00", text: "four")]
        let admitted = "2180-01-01 08:00:00"
        let h24 = try #require(EarlyInput.build(notes: notes, admittedOn: admitted, cutoff: .hours24))
        #expect(h24.text == "one\n\u{0C}\ntwo" && h24.notesRead == 2 && h24.lastNoteID == 2)    // 24 h exactly is outside (DIFFTIME < 24)
        #expect(EarlyInput.build(notes: notes, admittedOn: admitted, cutoff: .hours48)?.notesRead == 3)
        #expect(EarlyInput.build(notes: notes, admittedOn: admitted, cutoff: .now)?.notesRead == 4)
        // Without an admission time the first note starts the window.
        #expect(EarlyInput.build(notes: notes, admittedOn: nil, cutoff: .hours24)?.notesRead == 3)
        #expect(EarlyInput.build(notes: notes, admittedOn: "2181-01-01", cutoff: .hours24)?.notesRead == 4)
        #expect(EarlyInput.build(notes: Array(notes.suffix(1)), admittedOn: admitted, cutoff: .hours24) == nil)
        #expect(ChartTime.normalized("2180-01-01T09:00Z") == "2180-01-01 09:00:00" && ChartTime.normalized("2180-02-30 09:00:00") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func aNoteInTheWindowMakesThePredictionStaleAndTheNextRunScoresAgain(kind: StoreKind) throws {
        let db = try kind.make()
        _ = try db.importChartNotes(format: .notesJSONL, url: Self.write(Self.stay), skipBadRows: false)
        let scorer = RecordingScorer()
        let first = try db.scoreEarly(with: scorer, cutoff: .hours24)
        #expect(first.scored == 2 && first.upToDate == 0)
        #expect(scorer.texts.contains("Heart failure exacerbation, diuresed.\n\u{0C}\nEcho: reduced ejection fraction."))
        #expect(try db.scoreEarly(with: scorer, cutoff: .hours24).upToDate == 2)
        let a = try #require(try db.queueEntries().first { $0.externalID == "A" })
        #expect(a.working?.drg == "291" && a.working?.cutoff == .hours24 && a.working?.stale == false && a.working?.notesRead == 2)

        // A note after 24 h changes nothing at 24 h; a note inside the window makes A stale.
        _ = try db.importChartNotes(format: .notesJSONL, url: Self.write([Self.note("A", "a4", "2180-01-03 09:00:00", "Stable.")]), skipBadRows: false)
        #expect(try db.queueEntries().first { $0.externalID == "A" }?.working?.stale == false)
        _ = try db.importChartNotes(format: .notesJSONL, url: Self.write([Self.note("A", "a5", "2180-01-01 20:00:00", "CXR: pneumonia.")]), skipBadRows: false)
        #expect(try db.queueEntries().first { $0.externalID == "A" }?.working?.stale == true)
        let again = try db.scoreEarly(with: scorer, cutoff: .hours24)
        #expect(again.scored == 1 && again.upToDate == 1)
        let working = try #require(try db.queueEntries().first { $0.externalID == "A" }?.working)
        #expect(working.drg == "193" && !working.stale && working.notesRead == 3)
        // The first prediction stays: a new row, never an update.
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM early_predictions") } == 3)
        #expect(throws: DatabaseError.self) { try db.writer.write { try $0.execute(sql: "UPDATE early_predictions SET top_drg = '001'") } }
        // Evaluated at its cut-off: B (final 871) is the only stay with a final DRG.
        let set = try db.evaluationSet(modelPath: "/models/caml", cutoff: .hours24)
        #expect(set.truths == ["871"] && set.predictions.count == 1)
    }

    @Test func aBadChartTimeImportsNothingAndSaysWhere() throws {
        let db = try AppDatabase.inMemory()
        let bad = Self.stay + [Self.note("C", "c1", "yesterday", "x")]
        #expect {
            _ = try db.importChartNotes(format: .notesJSONL, url: Self.write(bad), skipBadRows: false)
        } throws: { "\($0)".contains("line 6") && "\($0)".contains("charttime 'yesterday'") }
        #expect(try db.queueEntries().isEmpty)
        let skipped = try db.importChartNotes(format: .notesJSONL, url: Self.write(bad), skipBadRows: true)
        #expect(skipped.inserted == 5 && skipped.skipped.count == 1)
    }
}

extension EarlyPredictionTests {
    /// MIMIC-IV-Note CSVs with charttime: notes attach to the admission's case (by hadm_id) when it was
    /// imported as a discharge summary, else make a stay of their own; a DS note discharges it.
    @Test func mimicNotesAttachByAdmission() throws {
        let db = try AppDatabase.inMemory()
        let source = try makeCaseSource(format: .mimicIV, url: Fixtures.url("discharge_sample.csv"))
        _ = try db.importCases(from: source, fileName: "discharge_sample.csv", skipBadRows: true)
        let before = try db.queueEntries().count
        let csv = try TemporaryDirectory(prefix: "mimic-notes").file("radiology.csv")
        try """
            note_id,subject_id,hadm_id,note_type,note_seq,charttime,storetime,text
            10000000-RR-1,10000000,20000000,RR,1,2180-01-08 10:00:00,2180-01-08 11:00:00,"CHEST (PA AND LAT): cardiomegaly, edema."
            19999999-RR-1,19999999,29999999,RR,1,2181-03-01 09:30:00,,"CT HEAD: no acute process."
            19999999-RR-2,19999999,29999999,RR,2,2181-03-02 09:30:00,,"CXR: line in place."
            """.write(to: csv, atomically: true, encoding: .utf8)
        let summary = try db.importChartNotes(format: .mimicIVNotes, url: csv, skipBadRows: false)
        #expect(summary.inserted == 3 && summary.casesCreated == 1 && summary.discharged == 0)
        let queue = try db.queueEntries()
        #expect(queue.count == before + 1)
        let existing = try #require(queue.first { $0.externalID == "10000000-DS-1" })
        #expect(try db.caseNotes(caseID: existing.id).map(\.noteID) == ["10000000-RR-1"] && !existing.inHospital)
        let stay = try #require(queue.first { $0.externalID == "29999999" })
        #expect(stay.inHospital && stay.source == "mimic-iv")
        let ds = try TemporaryDirectory(prefix: "mimic-notes").file("discharge.csv")
        try """
            note_id,subject_id,hadm_id,note_type,note_seq,charttime,storetime,text
            19999999-DS-1,19999999,29999999,DS,1,2181-03-05 00:00:00,,"Discharge summary."
            """.write(to: ds, atomically: true, encoding: .utf8)
        #expect(try db.importChartNotes(format: .mimicIVNotes, url: ds, skipBadRows: false).discharged == 1)
        #expect(try db.queueEntries().first { $0.externalID == "29999999" }?.inHospital == false)
        let bad = try TemporaryDirectory(prefix: "mimic-notes").file("bad.csv")
        try "note_id,hadm_id,text\n1,2,x\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect { _ = try db.importChartNotes(format: .mimicIVNotes, url: bad, skipBadRows: false) } throws: { "\($0)".contains("missing columns charttime") }
    }
}

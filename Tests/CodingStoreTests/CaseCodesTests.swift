import Foundation
import GRDB
import TestSupport
import Testing
@testable import CodingStore

/// ICD codes on cases (issue 15): the `case_codes` migration, JSONL/CSV fields, MIMIC-IV diagnoses/procedures.
@Suite("Case codes")
struct CaseCodesTests {
    func write(_ text: String, _ name: String) throws -> URL {
        let url = try TemporaryDirectory().file(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func count(_ store: AppDatabase, _ table: String) throws -> Int {
        try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }

    func importJSONL(_ store: AppDatabase, _ lines: [String]) throws -> ImportSummary {
        let url = try write(lines.joined(separator: "\n"), "notes.jsonl")
        return try store.importCases(from: try makeCaseSource(format: .jsonl, url: url), fileName: "notes.jsonl", skipBadRows: false)
    }

    static let notes = [
        #"{"id": "a1", "hadm_id": "100", "text": "Brief Hospital Course: pneumonia.", "pdx": "J18.9", "sdx": ["J96.01", "e11.9"], "procedures": ["5A1955Z"]}"#,
        #"{"id": "a2", "hadm_id": "200", "text": "Brief Hospital Course: heart failure."}"#,
    ]

    @Test(arguments: StoreKind.allCases)
    func jsonlCodesAreStoredNormalizedAndOnce(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = try importJSONL(store, Self.notes)
        let a1 = try #require(try store.cases(externalID: "a1").first)
        #expect(try store.codes(ofCase: a1.id) == [
            CaseCode(kind: .pdx, code: "J189", seq: 1), CaseCode(kind: .sdx, code: "J9601", seq: 1),
            CaseCode(kind: .sdx, code: "E119", seq: 2), CaseCode(kind: .pcs, code: "5A1955Z", seq: 1)])
        _ = try importJSONL(store, Self.notes)
        #expect(try count(store, "case_codes") == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func aBadCodeImportsNothingAndNamesTheLine(_ kind: StoreKind) throws {
        let store = try kind.make()
        do {
            _ = try importJSONL(store, Self.notes + [#"{"id": "a3", "text": "x", "sdx": ["4280"]}"#])
            Issue.record("an ICD-9 code was accepted as ICD-10")
        } catch let failure as ImportFailure {
            #expect(failure.row.description == "line 3: '4280' looks like an ICD-9-CM diagnosis code; ICD-10-CM is needed")
        }
        #expect(try count(store, "cases") == 0 && count(store, "case_codes") == 0)
    }

    /// A well-formed code that FY 2026 does not have, or a category header, is refused on a note import
    /// (only MIMIC-IV's code tables keep them, marked retired).
    @Test(arguments: ["Q99.99", "I50"])
    func anUnknownOrHeaderCodeIsRefusedOutsideMIMIC(_ code: String) throws {
        #expect(throws: StoreError.self) { try CaseCode.checked(code, kind: .sdx, icdVersion: 10, seq: 1) }
        #expect(try CaseCode.checked(code, kind: .sdx, icdVersion: 10, seq: 1, allowRetired: true).code
                == code.replacingOccurrences(of: ".", with: ""))
        let store = try StoreKind.inMemoryQueue.make()
        do {
            _ = try importJSONL(store, [#"{"id": "b1", "text": "x", "pdx": "\#(code)"}"#])
            Issue.record("\(code) was accepted")
        } catch let failure as ImportFailure {
            #expect(failure.row.description.hasPrefix("line 1: '\(code)'"))
        }
        #expect(try count(store, "cases") == 0)
    }

    @Test func csvCodeColumns() throws {
        let store = try StoreKind.inMemoryQueue.make()
        let url = try write("id,text,pdx,sdx,procedures\nc1,Brief Hospital Course: x,I50.21,N17.9;E87.1,\n", "notes.csv")
        _ = try store.importCases(from: try makeCaseSource(format: .csv, url: url), fileName: "notes.csv", skipBadRows: false)
        let c1 = try #require(try store.cases(externalID: "c1").first)
        #expect(try store.codes(ofCase: c1.id).map(\.code) == ["I5021", "N179", "E871"])
        #expect(c1.metadataJSON == nil)  // the code columns are not metadata
    }

    @Test(arguments: StoreKind.allCases)
    func mimicDiagnosesKeepICD9RowsMarkedAndAreAllOrNothing(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = try importJSONL(store, Self.notes)
        let header = "subject_id,hadm_id,seq_num,icd_code,icd_version\n"
        let good = try write(header + "1,200,1,I5021,10\n1,200,2,4280,9\n1,200,3,N179,10\n2,999,1,I10,10\n", "diagnoses_icd.csv")
        var ticks = 0
        let summary = try store.importMIMICCodes(.diagnoses, from: good) { _, _ in ticks += 1 }
        #expect(summary == CodesImportSummary(file: "diagnoses_icd.csv", rowsRead: 4, icd9Rows: 1, inserted: 3, withoutCase: 1))
        #expect(ticks >= 1)
        let a2 = try #require(try store.cases(externalID: "a2").first)
        #expect(try store.codes(ofCase: a2.id) == [
            CaseCode(kind: .pdx, code: "I5021", seq: 1), CaseCode(kind: .sdx, code: "4280", icdVersion: 9, seq: 2),
            CaseCode(kind: .sdx, code: "N179", seq: 3)])
        #expect(try store.importMIMICCodes(.diagnoses, from: good).alreadyPresent == 3)

        let bad = try write(header + "1,200,4,E119,10\n1,200,5,4019,10\n", "bad.csv")
        #expect(throws: CodesImportFailure(file: "bad.csv", line: 3, reason: "'4019' looks like an ICD-9-CM diagnosis code; ICD-10-CM is needed")) {
            try store.importMIMICCodes(.diagnoses, from: bad)
        }
        let malformed = try write(header + "1,200,4,E1!9,10\n", "malformed.csv")
        #expect(throws: CodesImportFailure.self) { try store.importMIMICCodes(.diagnoses, from: malformed) }
        let twice = try write(header + "1,200,6,E119,10\n1,200,6,E871,10\n", "twice.csv")
        #expect(throws: CodesImportFailure(file: "twice.csv", line: 3, reason: "hadm_id 200 has seq_num 6 twice")) {
            try store.importMIMICCodes(.diagnoses, from: twice)
        }
        #expect(try count(store, "case_codes") == 4 + 3)

        // MIMIC-IV was coded in FY 2016-2022: E78.4 (a category since FY 2019) is kept and counted, not refused.
        let retired = try write(header + "1,100,5,E784,10\n", "retired.csv")
        let kept = try store.importMIMICCodes(.diagnoses, from: retired)
        #expect(kept.inserted == 1 && kept.retiredICD10Rows == 1)
        let a1 = try #require(try store.cases(externalID: "a1").first)
        #expect(try store.codes(ofCase: a1.id).filter(\.isRetired).map(\.code) == ["E784"])
    }

    @Test func mimicProceduresAndTheSchemaRejectsASecondPrincipal() throws {
        let store = try StoreKind.inMemoryQueue.make()
        _ = try importJSONL(store, Self.notes)
        let url = try write("subject_id,hadm_id,seq_num,chartdate,icd_code,icd_version\n1,200,1,2150-01-01,02703DZ,10\n1,200,2,2150-01-02,3961,9\n",
                            "procedures_icd.csv")
        #expect(try store.importMIMICCodes(.procedures, from: url).inserted == 2)
        let a2 = try #require(try store.cases(externalID: "a2").first)
        #expect(try store.codes(ofCase: a2.id).map { "\($0.kind.rawValue) \($0.code) \($0.icdVersion)" } == ["pcs 02703DZ 10", "pcs 3961 9"])
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in
                try db.execute(sql: "INSERT INTO case_codes (case_id, kind, code, icd_version, seq, source) VALUES (?, 'pdx', 'I10', 10, 2, 't')",
                               arguments: [a2.id])
            }
        }
    }
}

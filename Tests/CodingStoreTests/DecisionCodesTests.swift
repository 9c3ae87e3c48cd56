import Foundation
import GRDB
import TestSupport
import Testing
@testable import CodingStore

/// Confirmed ICD codes on decisions (migration "v3 decision codes"): hashed into the chain, replayed, exported.
@Suite("Decision codes")
struct DecisionCodesTests {
    static func store() throws -> (AppDatabase, Int64) {
        let store = try AppDatabase.inMemory()
        let id = try store.enqueue(IncomingCase(externalID: "c-1", noteText: "Brief Hospital Course: x"), source: "jsonl")
        return (store, id)
    }

    static let codes = [CaseCode(kind: .pdx, code: "J189", seq: 1), CaseCode(kind: .sdx, code: "J9601", seq: 1)]

    @Test func confirmedCodesAreInTheHashAndRowsWithoutThemHashAsBefore() throws {
        let (store, id) = try Self.store()
        let plain = try store.recordDecision(DecisionRequest(caseID: id, user: "bob", action: .defer))
        #expect(plain.confirmedCodes == nil)
        #expect(!String(decoding: DecisionChain.canonicalEncoding(of: plain), as: UTF8.self).contains("confirmed_codes"))
        var request = DecisionRequest(caseID: id, user: "bob", action: .override, overrideDRG: "193")
        request.confirmedCodes = Self.codes
        let coded = try store.recordDecision(request)
        #expect(coded.confirmedCodes == "pdx:J189 sdx:J9601")
        #expect(String(decoding: DecisionChain.canonicalEncoding(of: coded), as: UTF8.self)
            .hasSuffix("reverses_seq:-\nconfirmed_codes:18:pdx:J189 sdx:J9601\n"))
        var without = coded
        without.confirmedCodes = nil
        #expect(DecisionChain.hash(of: without, after: coded.prevHash) != coded.hash)
        #expect(try store.verifyChain().ok)
        #expect(try store.allDecisions().last?.confirmedCodes == "pdx:J189 sdx:J9601")
    }

    @Test func editingConfirmedCodesIsCaught() throws {
        let (store, id) = try Self.store()
        var request = DecisionRequest(caseID: id, user: "bob", action: .override, overrideDRG: "193")
        request.confirmedCodes = Self.codes
        _ = try store.recordDecision(request)
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER decisions_are_append_only_update")
            try db.execute(sql: "UPDATE decisions SET confirmed_codes = 'pdx:J189 sdx:J9600'")
        }
        let result = try store.verifyChain()
        #expect(!result.ok && result.firstBad?.seq == 1)
    }

    @Test func replayAndJSONLExportCarryThem() throws {
        let (store, id) = try Self.store()
        var request = DecisionRequest(caseID: id, user: "bob", action: .override, overrideDRG: "193")
        request.confirmedCodes = Self.codes
        _ = try store.recordDecision(request)
        _ = try store.recordDecision(DecisionRequest(caseID: id, user: "bob", action: .flag))
        #expect(try store.replay().entries.map(\.confirmedCodes) == ["pdx:J189 sdx:J9601", nil])
        let out = try TemporaryDirectory().file("decisions.jsonl")
        _ = try store.export(.jsonl, to: out)
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains(#""confirmed_codes":"pdx:J189 sdx:J9601""#) && !lines[1].contains("confirmed_codes"))
    }
}

import Foundation
import TestSupport
import GRDB
import Testing
@testable import CodingStore

@Suite("Decision log: append-only, hash-chained")
struct DecisionLogTests {
    /// A store with 3 cases, case 1 scored (top 291), and four decisions, one undo.
    static func populated(_ kind: StoreKind) throws -> (AppDatabase, [Int64]) {
        let store = try kind.make()
        let ids = try addCases(store, count: 3)
        try store.savePrediction(caseID: ids[0], identity: demoIdentity, prediction: samplePrediction(top: "291"), elapsedMilliseconds: 5)
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "alice", action: .accept, reasonCode: "OK", note: "line 1\nline: 2"))
        try store.recordDecision(DecisionRequest(caseID: ids[1], user: "bob", action: .override, overrideDRG: "470", timeSpentMilliseconds: 9000))
        try store.recordDecision(DecisionRequest(caseID: ids[2], user: "bob", action: .flag))
        try store.recordDecision(DecisionRequest(caseID: ids[1], user: "bob", action: .undo))
        return (store, ids)
    }

    @Test(arguments: StoreKind.allCases)
    func decisionsChainAndSetStatus(_ kind: StoreKind) throws {
        let (store, ids) = try Self.populated(kind)
        let rows = try store.allDecisions()
        #expect(rows.map(\.seq) == [1, 2, 3, 4])
        #expect(rows[0].prevHash == DecisionChain.genesisHash)
        for i in 1..<rows.count { #expect(rows[i].prevHash == rows[i - 1].hash) }
        #expect(rows[0].chosenDRG == "291" && rows[0].modelTopDRG == "291" && rows[0].predictionSHA256 != nil)
        #expect(rows[3].action == .undo && rows[3].reversesSeq == 2)
        #expect(try store.caseRecord(id: ids[0])?.status == .coded)
        #expect(try store.caseRecord(id: ids[0])?.codedDRG == "291")
        #expect(try store.caseRecord(id: ids[1])?.status == .queued)   // override undone
        #expect(try store.caseRecord(id: ids[2])?.status == .flagged)
        let verification = try store.verifyChain()
        #expect(verification.ok && verification.count == 4 && verification.headHash == rows[3].hash)
    }

    @Test func hashIsTheDocumentedEncoding() throws {
        let row = DecisionRecord(seq: 1, caseID: 7, caseExternalID: "n-7", user: "alice", role: .coder, action: .override,
                                 chosenDRG: "470", modelTopDRG: nil, predictionID: nil, predictionSHA256: nil,
                                 reasonCode: nil, note: "é:\n", timeSpentMilliseconds: 12, decidedAt: "2026-12-01T18:55:57.123Z",
                                 reversesSeq: nil, prevHash: DecisionChain.genesisHash, hash: "")
        let text = String(decoding: DecisionChain.canonicalEncoding(of: row), as: UTF8.self)
        #expect(text == """
            drgcoder-decision-v1
            seq:1:1
            case_id:1:7
            case_external_id:3:n-7
            user:5:alice
            role:5:coder
            action:8:override
            chosen_drg:3:470
            model_top_drg:-
            prediction_id:-
            prediction_sha256:-
            reason_code:-
            note:4:é:

            time_spent_ms:2:12
            decided_at:24:2026-12-01T18:55:57.123Z
            reverses_seq:-

            """)
        // SHA-256 of the 64 zeros followed by that text, computed independently with `sha256sum`.
        let expected = DecisionChain.sha256Hex(Array(DecisionChain.genesisHash.utf8) + Array(text.utf8))
        #expect(DecisionChain.hash(of: row, after: row.prevHash) == expected)
    }

    @Test(arguments: StoreKind.allCases)
    func sqlRejectsUpdateAndDelete(_ kind: StoreKind) throws {
        let (store, _) = try Self.populated(kind)
        #expect(throws: DatabaseError.self) { try store.writer.write { try $0.execute(sql: "UPDATE decisions SET user = 'mallory' WHERE seq = 1") } }
        #expect(throws: DatabaseError.self) { try store.writer.write { try $0.execute(sql: "DELETE FROM decisions WHERE seq = 4") } }
        #expect(throws: DatabaseError.self) { try store.writer.write { try $0.execute(sql: "UPDATE predictions SET top_drg = '470'") } }
        #expect(try store.verifyChain().ok)
    }

    @Test func sqlRejectsRowsThatDoNotExtendTheChain() throws {
        let (store, _) = try Self.populated(.inMemoryQueue)
        let insert = """
            INSERT INTO decisions (seq, case_id, case_external_id, user, role, action, time_spent_ms, decided_at, prev_hash, hash)
            VALUES (?, 1, 'case-1', 'x', 'coder', 'defer', 0, '2026-12-01T18:55:57.123Z', ?, ?)
            """
        let head = try store.verifyChain().headHash
        let fake = String(repeating: "f", count: 64)
        #expect(throws: DatabaseError.self) { try store.writer.write { try $0.execute(sql: insert, arguments: [5, fake, fake]) } }   // wrong prev
        #expect(throws: DatabaseError.self) { try store.writer.write { try $0.execute(sql: insert, arguments: [9, head, fake]) } }   // seq gap
        #expect(throws: DatabaseError.self) {   // CHECK: an accept must name its DRG
            try store.writer.write { try $0.execute(sql: insert.replacingOccurrences(of: "'defer'", with: "'accept'"), arguments: [5, head, fake]) }
        }
    }

    /// Every column of every row, changed by hand (triggers dropped), is caught — and names that row.
    @Test func tamperingWithAnyFieldIsCaught() throws {
        let edits: [(String, String)] = [
            ("seq", "10"), ("case_id", "3"), ("case_external_id", "'case-9'"), ("user", "'mallory'"), ("role", "'auditor'"),
            ("action", "'defer'"), ("chosen_drg", "'292'"), ("model_top_drg", "'292'"), ("prediction_id", "NULL"),
            ("prediction_sha256", "'\(String(repeating: "b", count: 64))'"), ("reason_code", "'NEW'"), ("note", "'edited'"),
            ("time_spent_ms", "1"), ("decided_at", "'2020-01-01T00:00:00.000Z'"), ("reverses_seq", "1"),
            ("prev_hash", "'\(String(repeating: "c", count: 64))'"), ("hash", "'\(String(repeating: "d", count: 64))'"),
        ]
        for (column, value) in edits {
            for seq in [1, 2, 4] {
                let (store, _) = try Self.populated(.inMemoryQueue)
                let changed: Int = try store.writer.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA foreign_keys = OFF")
                    try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                    try db.execute(sql: "DROP TRIGGER decisions_are_append_only_update")
                    try db.execute(sql: "UPDATE decisions SET \(column) = \(value) WHERE seq = ? AND \(column) IS NOT \(value)", arguments: [seq])
                    return db.changesCount
                }
                guard changed == 1 else { continue }  // the row already had that value
                let result = try store.verifyChain()
                #expect(!result.ok, "editing \(column) of row \(seq) was not caught")
                if column == "seq" { continue }   // a renumbered row shows as a gap where it was
                let expectedBad: Int64 = column == "hash" && seq < 4 ? Int64(seq + 1) : Int64(seq)
                #expect(result.firstBad?.seq == expectedBad || result.firstBad?.seq == Int64(seq),
                        "editing \(column) of row \(seq) blamed row \(String(describing: result.firstBad?.seq))")
            }
        }
    }

    @Test(arguments: [Int64(1), 2, 3, 4])
    func deletingARowIsCaught(_ seq: Int64) throws {
        let (store, _) = try Self.populated(.tempFilePool)
        let head = try store.verifyChain().headHash
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")   // row 4 (an undo) references row 2
            try db.execute(sql: "DROP TRIGGER decisions_are_append_only_delete")
            try db.execute(sql: "DELETE FROM decisions WHERE seq = ?", arguments: [seq])
        }
        let result = try store.verifyChain()
        #expect(!result.ok)
        #expect(result.firstBad?.seq == (seq == 4 ? 4 : seq + 1))
        #expect(try !store.verifyChain(expectedHead: head).ok)
    }

    @Test func deletingTheNewestRowsAndTheirTraceNeedsAnAnchor() throws {
        let (store, ids) = try Self.populated(.inMemoryQueue)
        let verified = try store.verifyChain()
        let anchor = try #require(verified.headAnchor)
        #expect(anchor.seq == 4 && ChainAnchor(anchor.description) == anchor)
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER decisions_are_append_only_delete")
            try db.execute(sql: "DELETE FROM decisions WHERE seq = 4")
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = 3 WHERE name = 'decisions'")
        }
        // The undo's case still says "queued": the derived columns give the deletion away…
        #expect(try store.verifyChain().firstBad?.table == "cases")
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE cases SET status = 'coded', coded_drg = '470' WHERE id = ?", arguments: [ids[1]])
        }
        #expect(try store.verifyChain().ok)                                   // …until they are forged too: a valid 3-row log,
        #expect(try store.verifyChain(expectedHead: verified.headHash).firstBad != nil)
        #expect(try store.verifyChain(anchors: [anchor]).firstBad?.seq == 4)  // which the kept anchor exposes.
    }

    @Test func anAnchorStaysValidWhileWorkGoesOnAndCatchesARewrite() throws {
        let (store, ids) = try Self.populated(.inMemoryQueue)
        let anchor = try #require(try store.verifyChain().headAnchor)
        let early = ChainAnchor(seq: 2, hash: try store.allDecisions()[1].hash)
        try store.recordDecision(DecisionRequest(caseID: ids[1], user: "carol", action: .override, overrideDRG: "871"))
        #expect(try store.verifyChain(anchors: [anchor, early]).ok)           // new work: still passes through both
        #expect(try !store.verifyChain(expectedHead: anchor.hash).ok)         // (a head hash cannot tell new work from removal)
        // Rewrite the whole chain from row 2 on (a forger who knows the algorithm): the anchor catches it.
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER decisions_are_append_only_update")
            try db.execute(sql: "UPDATE decisions SET time_spent_ms = time_spent_ms + 1 WHERE seq = 2")
            var previous = try String.fetchOne(db, sql: "SELECT hash FROM decisions WHERE seq = 1") ?? ""
            for row in try DecisionRecord.fetchAll(db, sql: "SELECT * FROM decisions WHERE seq >= 2 ORDER BY seq") {
                let hash = DecisionChain.hash(of: row, after: previous)
                try db.execute(sql: "UPDATE decisions SET prev_hash = ?, hash = ? WHERE seq = ?", arguments: [previous, hash, row.seq])
                previous = hash
            }
        }
        #expect(try store.verifyChain().ok)
        #expect(try store.verifyChain(anchors: [early]).firstBad?.seq == 2)
        #expect(try store.verifyChain(anchors: [ChainAnchor(seq: 9, hash: anchor.hash)]).firstBad?.seq == 9)  // past the end
    }

    /// The review screen's check before each decision: from a row verified earlier to the head.
    @Test func anIncrementalCheckStartsFromAVerifiedRow() throws {
        let (store, ids) = try Self.populated(.inMemoryQueue)
        let anchor = try #require(try store.verifyChain().headAnchor)   // row 4
        try store.recordDecision(DecisionRequest(caseID: ids[1], user: "carol", action: .override, overrideDRG: "871"))
        try store.recordDecision(DecisionRequest(caseID: ids[1], user: "carol", action: .undo))   // reverses row 5
        let ahead = try store.verifyChain(after: anchor)
        #expect(ahead.ok && ahead.count == 6 && ahead.headAnchor?.seq == 6)
        #expect(try store.verifyChain(after: ChainAnchor(seq: 4, hash: String(repeating: "e", count: 64))).firstBad?.seq == 4)
        // A row forged after the anchor (right seq and prev_hash, wrong hash) is caught…
        try store.writer.write { db in
            try db.execute(sql: """
                INSERT INTO decisions (seq, case_id, case_external_id, user, role, action, time_spent_ms, decided_at, prev_hash, hash)
                VALUES (7, ?, 'case-3', 'mallory', 'coder', 'defer', 0, '2026-12-01T18:55:57.123Z', ?, ?)
                """, arguments: [ids[2], ahead.headHash, String(repeating: "f", count: 64)])
        }
        #expect(try store.verifyChain(after: anchor).firstBad?.seq == 7)
        #expect(try store.verifyChain(after: ChainAnchor(seq: 6, hash: ahead.headHash)).firstBad?.seq == 7)
        // …and so is an edit of the anchor row itself, or the newest rows deleted.
        let (edited, _) = try Self.populated(.inMemoryQueue)
        let editedAnchor = try #require(try edited.verifyChain().headAnchor)
        try edited.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER decisions_are_append_only_update")
            try db.execute(sql: "UPDATE decisions SET time_spent_ms = 7 WHERE seq = 4")
        }
        #expect(try edited.verifyChain(after: editedAnchor).firstBad?.seq == 4)
        let (cut, _) = try Self.populated(.inMemoryQueue)
        let early = ChainAnchor(seq: 2, hash: try cut.allDecisions()[1].hash)
        try cut.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DROP TRIGGER decisions_are_append_only_delete")
            try db.execute(sql: "DELETE FROM decisions WHERE seq = 4")
        }
        #expect(try cut.verifyChain(after: early).firstBad?.seq == 4)
    }

    @Test func tamperingWithTheShownPredictionIsCaught() throws {
        let (store, _) = try Self.populated(.inMemoryQueue)
        try store.writer.write { db in
            try db.execute(sql: "DROP TRIGGER predictions_are_immutable_update")
            try db.execute(sql: "UPDATE predictions SET prediction_json = replace(prediction_json, '0.6', '0.9')")
        }
        let result = try store.verifyChain()
        #expect(result.firstBad?.seq == 1)
        #expect(result.firstBad?.reason.contains("prediction") == true)
    }

    @Test func refusals() throws {
        let store = try StoreKind.inMemoryQueue.make()
        let ids = try addCases(store, count: 2)
        #expect(throws: StoreError.self) { try store.recordDecision(DecisionRequest(caseID: ids[0], user: "a", action: .accept)) }   // no prediction
        #expect(throws: StoreError.self) { try store.recordDecision(DecisionRequest(caseID: ids[0], user: "a", action: .undo)) }     // nothing to undo
        #expect(throws: StoreError.self) { try store.recordDecision(DecisionRequest(caseID: ids[0], user: "a", action: .override, overrideDRG: "29")) }
        #expect(throws: StoreError.self) { try store.recordDecision(DecisionRequest(caseID: 999, user: "a", action: .flag)) }
        #expect(throws: StoreError.self) { try store.recordDecision(DecisionRequest(caseID: ids[0], user: " ", action: .flag)) }
        try store.savePrediction(caseID: ids[0], identity: demoIdentity, prediction: samplePrediction(top: "291"), elapsedMilliseconds: 1)
        #expect(throws: StoreError.self) { try store.recordDecision(DecisionRequest(caseID: ids[0], user: "a", action: .override, overrideDRG: "291")) }
        try store.claim(caseID: ids[1], user: "alice")
        #expect(throws: StoreError.self) { try store.recordDecision(DecisionRequest(caseID: ids[1], user: "bob", action: .flag)) }
        #expect(try store.allDecisions().isEmpty)
    }
}

import DRGKit
import Foundation
import GRDB
import Testing
import TestSupport
@testable import CodingStore

/// `audit verify` covers every column it is meant to protect beyond the decisions' own (those are
/// in `DecisionLogTests.tamperingWithAnyFieldIsCaught`): the predictions' copies of their JSON and
/// the cases' caches of the chain. Each edit is caught and the row is named.
@Suite("Tampering outside the decision rows")
struct TamperTests {
    /// Case 1 accepted (its prediction shown), case 2 scored but undecided (a prediction no decision
    /// points at), case 3 overridden then flagged.
    static func populated() throws -> (AppDatabase, [Int64], [Int64]) {
        let store = try AppDatabase.inMemory()
        let ids = try addCases(store, count: 3)
        let p1 = try store.savePrediction(caseID: ids[0], identity: demoIdentity, prediction: samplePrediction(top: "291"), elapsedMilliseconds: 1)
        let p2 = try store.savePrediction(caseID: ids[1], identity: demoIdentity, prediction: samplePrediction(top: "193"), elapsedMilliseconds: 1)
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: .accept))
        try store.recordDecision(DecisionRequest(caseID: ids[2], user: "asmith", action: .override, overrideDRG: "470"))
        try store.recordDecision(DecisionRequest(caseID: ids[2], user: "asmith", action: .flag))
        return (store, ids, [p1.id, p2.id])
    }

    /// Every column of `predictions` but `id` (a renumbered prediction that a decision showed breaks
    /// that decision's reference; see docs/STORE.md for one nobody was shown).
    static let predictionEdits: [(column: String, value: String)] = [
        ("top_drg", "'999'"), ("top_probability", "0.01"), ("prediction_json", "replace(prediction_json, '0.6', '0.9')"),
        ("prediction_sha256", "lower(hex(randomblob(32)))"),
        ("case_id", "(SELECT max(id) FROM cases)"), ("model_path", "'/models/other'"),
        ("weights_sha256", "lower(hex(randomblob(32)))"), ("adapter_sha256", "lower(hex(randomblob(32)))"),
        ("label_space", "'drg-llama-two'"), ("model_key", "'forged|none|drg-llama-single'"),
        ("created_at", "'2020-01-01T00:00:00.000Z'"), ("elapsed_ms", "elapsed_ms + 0.5"), ("token_count", "7"),
        ("truncated", "1"),
    ]

    @Test(arguments: 0..<14, [0, 1])
    func predictionColumns(_ edit: Int, _ which: Int) throws {
        let (store, _, predictions) = try Self.populated()
        #expect(try store.verifyChain().ok)
        let (column, value) = Self.predictionEdits[edit]
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER predictions_are_immutable_update")
            try db.execute(sql: "UPDATE predictions SET \(column) = \(value) WHERE id = ?", arguments: [predictions[which]])
            #expect(db.changesCount == 1)
        }
        let result = try store.verifyChain()
        #expect(!result.ok, "editing predictions.\(column) went unnoticed")
        if which == 1 {   // no decision points at it: only the prediction check can name it
            #expect(result.firstBad?.table == "predictions" && result.firstBad?.rowID == predictions[which])
            if edit >= 4 { #expect(result.firstBad?.reason.hasPrefix(column) == true, "\(String(describing: result.firstBad))") }
        }
    }

    /// `token_count` set and then removed (the fixture's predictions have none).
    @Test func aTokenCountRemovedIsCaught() throws {
        let store = try AppDatabase.inMemory()
        let id = try addCases(store, count: 1)[0]
        let p = try store.savePrediction(caseID: id, identity: demoIdentity, prediction: samplePrediction(top: "291"),
                                         elapsedMilliseconds: 12.25, tokenCount: 300, truncated: true)
        #expect(try store.verifyChain().ok)
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER predictions_are_immutable_update")
            try db.execute(sql: "UPDATE predictions SET token_count = NULL WHERE id = ?", arguments: [p.id])
        }
        #expect(try store.verifyChain().firstBad?.reason.hasPrefix("token_count") == true)
    }

    /// The texts a prediction was made from: editing a scored case's note or section is caught and
    /// names the case; an unscored case's texts are not covered (docs/STORE.md).
    @Test(arguments: ["note_text", "section_text"], [0, 1])
    func scoredCaseTexts(_ column: String, _ index: Int) throws {
        let (store, ids, _) = try Self.populated()
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE cases SET \(column) = \(column) || ' edited' WHERE id = ?", arguments: [ids[index]])
        }
        let result = try store.verifyChain()
        #expect(result.firstBad?.table == "cases" && result.firstBad?.rowID == ids[index]
                && result.firstBad?.reason.hasPrefix(column) == true, "\(String(describing: result.firstBad))")
    }

    @Test func aDecidedCaseExternalIDIsCovered() throws {
        let (store, ids, _) = try Self.populated()
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE cases SET external_id = 'case-99' WHERE id = ?", arguments: [ids[2]])
        }
        let result = try store.verifyChain()
        #expect(result.firstBad?.table == "cases" && result.firstBad?.rowID == ids[2])
    }

    /// A shown prediction moved to another case (a format-1 row, whose JSON does not name its case)
    /// is caught by the decision that showed it.
    @Test func aShownFormatOnePredictionMovedToAnotherCaseIsCaught() throws {
        let store = try AppDatabase.inMemory()
        let ids = try addCases(store, count: 2)
        let pid = try insertFormatOnePrediction(store, caseID: ids[0])
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: .accept))
        #expect(try store.verifyChain().ok)
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER predictions_are_immutable_update")
            try db.execute(sql: "UPDATE predictions SET case_id = ? WHERE id = ?", arguments: [ids[1], pid])
        }
        #expect(try store.verifyChain().firstBad?.seq == 1)
    }

    /// Predictions written before format 2 (no `"provenance"` in the JSON) verify under the old
    /// rules: their JSON, hash and top copies are checked, their provenance columns are not.
    @Test func formatOnePredictionsStillVerify() throws {
        let store = try AppDatabase.inMemory()
        let id = try addCases(store, count: 1)[0]
        let pid = try insertFormatOnePrediction(store, caseID: id)
        #expect(try store.verifyChain().ok)
        let json = try #require(try store.prediction(id: pid)).predictionJSON
        #expect(!json.contains("provenance"))
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER predictions_are_immutable_update")
            try db.execute(sql: "UPDATE predictions SET top_probability = 0.01 WHERE id = ?", arguments: [pid])
        }
        #expect(try store.verifyChain().firstBad?.rowID == pid)
    }

    @Test func theStoredJSONCarriesItsProvenanceAndStillDecodes() throws {
        let (store, ids, predictions) = try Self.populated()
        let stored = try #require(try store.prediction(id: predictions[0]))
        #expect(try stored.decoded() == samplePrediction(top: "291"))
        let provenance = try #require(try StoredPrediction.provenance(ofJSON: stored.predictionJSON))
        #expect(provenance.caseID == ids[0] && provenance.model == demoIdentity && provenance.createdAt == stored.createdAt)
        #expect(stored.predictionJSON.contains(#""provenance":{"case_id":"#))
    }

    @Test(arguments: [("status", "'coded'", 1), ("status", "'queued'", 0), ("status", "'deferred'", 2),
                      ("coded_drg", "'999'", 0), ("coded_drg", "NULL", 2), ("coded_drg", "'470'", 1)])
    func caseColumns(_ column: String, _ value: String, _ index: Int) throws {
        let (store, ids, _) = try Self.populated()
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE cases SET \(column) = \(value) WHERE id = ?", arguments: [ids[index]])
        }
        let result = try store.verifyChain()
        #expect(result.firstBad?.table == "cases" && result.firstBad?.rowID == ids[index], "cases.\(column) = \(value): \(String(describing: result.firstBad))")
    }

    @Test func aClaimedQueuedCaseIsNotTampering() throws {
        let (store, ids, _) = try Self.populated()
        try store.claim(caseID: ids[1], user: "jdoe")
        try store.claim(caseID: ids[2], user: "audrey")   // a flagged case opened by an auditor keeps its status
        #expect(try store.verifyChain().ok)
    }
}

/// A prediction row as the store wrote it before format 2: the JSON is the prediction alone.
@discardableResult
func insertFormatOnePrediction(_ store: AppDatabase, caseID: Int64, top: String = "291") throws -> Int64 {
    let json = try PredictionCoding.encode(samplePrediction(top: top))
    return try store.writer.write { db in
        try db.execute(sql: """
            INSERT INTO predictions (case_id, model_path, weights_sha256, adapter_sha256, label_space, model_key,
                created_at, top_drg, top_probability, prediction_json, prediction_sha256, elapsed_ms, token_count, truncated)
            VALUES (?, ?, ?, NULL, ?, ?, '2026-11-01T10:00:00.000Z', ?, 0.6, ?, ?, 3.5, NULL, 0)
            """, arguments: [caseID, demoIdentity.path, demoIdentity.weightsSHA256, demoIdentity.labelSpace, demoIdentity.key,
                             top, json, DecisionChain.sha256Hex(json.utf8)])
        return db.lastInsertedRowID
    }
}

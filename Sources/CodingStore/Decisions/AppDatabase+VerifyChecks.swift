import DRGKit
import Foundation
import GRDB

/// The checks `verifyChain` makes besides walking the chain: the starting point of an incremental
/// check, the predictions and their provenance, and the cases' caches.
extension AppDatabase {
    /// Whether the row `anchor.seq` is still there, with that hash, and its contents still hash to it.
    static func stillHashes(_ db: Database, _ anchor: ChainAnchor) throws -> Bool {
        guard let raw = try Row.fetchOne(db, sql: "SELECT * FROM decisions WHERE seq = ?", arguments: [anchor.seq]),
              let row = decodeRow(raw) else { return false }
        return row.hash == anchor.hash.lowercased() && DecisionChain.hash(of: row, after: row.prevHash) == row.hash
    }

    /// The case of row `seq` when an incremental check did not walk it (it is at or before `start`).
    static func caseOfEarlierRow(_ db: Database, _ seq: Int64, before start: ChainAnchor?) throws -> Int64? {
        guard let start, seq <= start.seq else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT case_id FROM decisions WHERE seq = ?", arguments: [seq])
    }

    /// Every prediction's JSON against its hash, the two columns copied out of it and (format 2)
    /// every provenance column against the hashed `"provenance"`.
    static func checkPredictions(_ db: Database) throws -> ChainVerification.Failure? {
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM predictions ORDER BY id")
        while let row = try rows.next() {
            let id: Int64 = row["id"]
            func bad(_ reason: String) -> ChainVerification.Failure {
                .init(seq: 0, reason: reason, table: "predictions", rowID: id)
            }
            guard case .string(let json) = (row["prediction_json"] as DatabaseValue).storage,
                  (row["prediction_sha256"] as DatabaseValue) == DecisionChain.sha256Hex(json.utf8).databaseValue else {
                return bad("prediction_json does not have the recorded prediction_sha256 (changed)")
            }
            guard let top = (try? PredictionCoding.decode(json))?.ranked.first else {
                return bad("prediction_json is not a prediction")
            }
            let topDRG: DatabaseValue = row["top_drg"], topProbability: DatabaseValue = row["top_probability"]
            guard topDRG == top.drg.databaseValue else { return bad("top_drg is not the JSON's top DRG \(top.drg) (changed)") }
            guard topProbability == top.probability.databaseValue else {
                return bad("top_probability is not the JSON's top probability (changed)")
            }
            let stored: PredictionProvenance?
            do { stored = try StoredPrediction.provenance(ofJSON: json) } catch {
                return bad("prediction_json's provenance is not readable")
            }
            guard let provenance = stored else { continue }   // format 1: no provenance to check against
            if let column = provenance.firstMismatch(in: row) {
                return bad("\(column) is not the value in the hashed prediction_json (changed)")
            }
            if let scored = try Row.fetchOne(db, sql: "SELECT note_text, section_text FROM cases WHERE id = ?", arguments: [provenance.caseID]),
               let column = provenance.firstChangedText(in: scored) {
                return .init(seq: 0, reason: "\(column) is not the text prediction id \(id) was made from (changed)",
                             table: "cases", rowID: provenance.caseID)
            }
        }
        return nil
    }

    /// Every case's cached status and coded DRG against its decisions, and its external id against
    /// the one its decisions recorded.
    static func checkCases(_ db: Database, events: [CodingEvent], externalIDs: [Int64: String]) throws -> ChainVerification.Failure? {
        let states = CaseCoding.foldAll(events)
        let rows = try Row.fetchCursor(db, sql: "SELECT id, external_id, status, coded_drg, claim_holder FROM cases ORDER BY id")
        while let row = try rows.next() {
            let id: Int64 = row["id"]
            if let recorded = externalIDs[id], (row["external_id"] as DatabaseValue) != recorded.databaseValue {
                return .init(seq: 0, reason: "external_id is not \(recorded), the id its decisions recorded (changed)",
                             table: "cases", rowID: id)
            }
            let state = states[id] ?? CaseCoding()
            let expected = derivedStatus(state)
            let status: String? = row["status"], coded: String? = row["coded_drg"], holder: String? = row["claim_holder"]
            let statusOK = status == expected.rawValue
                || (expected == .queued && status == CaseStatus.inProgress.rawValue && holder != nil)
            guard statusOK else {
                return .init(seq: 0, reason: "status '\(status ?? "NULL")' is not what its decisions say ('\(expected.rawValue)')",
                             table: "cases", rowID: id)
            }
            guard coded == state.codedDRG else {
                return .init(seq: 0, reason: "coded_drg \(coded ?? "NULL") is not what its decisions say (\(state.codedDRG ?? "NULL"))",
                             table: "cases", rowID: id)
            }
        }
        return nil
    }
}

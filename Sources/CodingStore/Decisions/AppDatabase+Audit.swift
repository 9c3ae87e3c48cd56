import DRGKit
import Foundation
import GRDB

/// The outcome of walking the decision chain (`drgcoder audit verify`).
public struct ChainVerification: Codable, Sendable, Equatable {
    /// The first row that does not check out.
    public struct Failure: Codable, Sendable, Equatable {
        /// The decision's seq, or 0 when the row is a prediction or a case.
        public var seq: Int64
        public var reason: String
        /// "decisions", "predictions" or "cases".
        public var table: String = "decisions"
        /// The row's key in `table` (seq for decisions, id otherwise).
        public var rowID: Int64 = 0

        enum CodingKeys: String, CodingKey { case seq, reason, table, rowID = "row_id" }

        /// "decision #12", "prediction id 3", "case id 7".
        public var rowName: String {
            switch table {
            case "decisions": return "decision #\(seq)"
            case "predictions": return "prediction id \(rowID)"
            default: return "case id \(rowID)"
            }
        }
    }
    public var ok: Bool
    /// Rows of the chain up to the last one checked (an incremental check counts the rows before
    /// its starting point too).
    public var count: Int
    /// The hash of the last row (the genesis hash for an empty log): record it to detect later
    /// removal of the newest rows.
    public var headHash: String
    public var firstBad: Failure?

    enum CodingKeys: String, CodingKey { case ok, count, headHash = "head_hash", firstBad = "first_bad" }
}

extension AppDatabase {
    /// Recomputes every hash in `seq` order and checks that
    /// 1. `seq` runs 1, 2, 3, … with no gap, and its last value is SQLite's AUTOINCREMENT high-water
    ///    mark (`sqlite_sequence`), so a deleted newest row is seen unless that table was edited too;
    /// 2. each `prev_hash` equals the previous row's `hash` (the genesis hash for row 1);
    /// 3. each `hash` equals `DecisionChain.hash(of:after:)` of the row as stored;
    /// 4. the prediction a row says was shown still has the SHA-256 the row recorded, and an undo
    ///    points at an earlier decision of the same case;
    /// 5. `expectedHead`, when given, is the final hash, and the chain still passes through every
    ///    `anchor` (the row with that seq has that hash): an anchor stays valid while work goes on;
    /// 6. every prediction's JSON has its SHA-256, and its `top_drg` / `top_probability` (copies kept
    ///    for queries) are the JSON's first ranked DRG and probability, and — format 2 — its
    ///    provenance columns (case, model, times, token count) are the JSON's `"provenance"` and
    ///    its case's note and section still have the SHA-256s recorded there, including
    ///    predictions no decision points at;
    /// 7. every case's `status` and `coded_drg` are what its decisions say (`CaseCoding`): a case
    ///    with no effective decision is queued, or in progress with a claim holder; a decided case's
    ///    `external_id` is the one its decisions recorded.
    /// Stops at the first failure and names the row. Reads the raw columns, so a value the app types
    /// could not decode (an edited `action`) is reported, not thrown.
    ///
    /// `after`: an incremental check from a point verified earlier (the review screen, before each
    /// decision): that row must still hash to its anchor, and 1–3 (and the anchors) are checked
    /// for the rows after it only; 6 and 7 need the whole log and are skipped. `count` is still
    /// the number of rows up to the head. An anchor at seq 0 (with the genesis hash) checks the
    /// links of the whole log that way: the screen's first decision, which must not wait for 6 and 7.
    public func verifyChain(expectedHead: String? = nil, anchors: [ChainAnchor] = [], after start: ChainAnchor? = nil) throws -> ChainVerification {
        try read { db in
            var previous = start?.hash.lowercased() ?? DecisionChain.genesisHash
            var expectedSeq: Int64 = (start?.seq ?? 0) + 1
            var count = Int(start?.seq ?? 0)
            var byCase: [Int64: Int64] = [:]   // seq -> case id
            var events: [CodingEvent] = []
            var externalIDs: [Int64: String] = [:]   // case id -> the external id its decisions recorded
            let anchored = Dictionary(anchors.map { ($0.seq, $0.hash.lowercased()) }, uniquingKeysWith: { a, _ in a })
            func fail(_ seq: Int64, _ reason: String) -> ChainVerification {
                ChainVerification(ok: false, count: count, headHash: previous, firstBad: .init(seq: seq, reason: reason))
            }
            if let start, start.seq > 0, !(try Self.stillHashes(db, start)) {
                return fail(start.seq, "row \(start.seq), verified before, was changed or removed")
            }
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM decisions WHERE seq > ? ORDER BY seq", arguments: [start?.seq ?? 0])
            while let raw = try rows.next() {
                let seq: Int64 = raw["seq"]
                guard seq == expectedSeq else {
                    return fail(seq, seq > expectedSeq
                        ? "rows \(expectedSeq)…\(seq - 1) are missing (deleted)" : "sequence number repeats or goes back")
                }
                guard let row = Self.decodeRow(raw) else {
                    return fail(seq, "a column holds a value no decision can have (edited by hand)")
                }
                guard row.prevHash == previous else {
                    return fail(seq, "prev_hash does not match the hash of row \(seq - 1)")
                }
                guard DecisionChain.hash(of: row, after: row.prevHash) == row.hash else {
                    return fail(seq, "hash does not match the row's contents (a field was changed)")
                }
                if let id = row.predictionID {
                    let shown = try Row.fetchOne(db, sql: "SELECT case_id, prediction_json, prediction_sha256 FROM predictions WHERE id = ?",
                                                 arguments: [id])
                    guard let shown, (shown["prediction_sha256"] as DatabaseValue) == row.predictionSHA256.databaseValue,
                          case .string(let json) = (shown["prediction_json"] as DatabaseValue).storage, DecisionChain.sha256Hex(json.utf8) == row.predictionSHA256 else {
                        return fail(seq, "the prediction shown (id \(id)) was changed or removed")
                    }
                    guard (shown["case_id"] as DatabaseValue) == row.caseID.databaseValue else {
                        return fail(seq, "the prediction shown (id \(id)) is not one of this case's (its case_id was changed)")
                    }
                }
                if let target = row.reversesSeq, try byCase[target] ?? Self.caseOfEarlierRow(db, target, before: start) != row.caseID {
                    return fail(seq, "undo points at row \(target), which is not an earlier decision of this case")
                }
                if let hash = anchored[seq], hash != row.hash {
                    return fail(seq, "the chain no longer passes through the anchor \(seq):\(hash)")
                }
                byCase[seq] = row.caseID
                events.append(row.codingEvent)
                externalIDs[row.caseID] = row.caseExternalID
                previous = row.hash
                expectedSeq += 1
                count += 1
            }
            let highWater = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'decisions'") ?? 0
            if highWater > expectedSeq - 1 {
                return fail(expectedSeq, "rows \(expectedSeq)…\(highWater) are missing (the newest rows were deleted)")
            }
            if let expectedHead, expectedHead.lowercased() != previous {
                return fail(expectedSeq - 1, "the head hash is not the expected \(expectedHead)")
            }
            if let beyond = anchors.map(\.seq).filter({ $0 >= expectedSeq || $0 < 1 }).min() {
                return fail(beyond, "the anchor \(beyond) is past the last row \(expectedSeq - 1) (rows were removed)")
            }
            if start == nil, let bad = try Self.checkPredictions(db) ?? Self.checkCases(db, events: events, externalIDs: externalIDs) {
                return ChainVerification(ok: false, count: count, headHash: previous, firstBad: bad)
            }
            return ChainVerification(ok: true, count: count, headHash: previous, firstBad: nil)
        }
    }

    /// A decision row from raw columns, or nil when a column has an impossible value or type.
    static func decodeRow(_ raw: Row) -> DecisionRecord? {
        func text(_ name: String) -> String?? {
            let value: DatabaseValue = raw[name]
            switch value.storage {
            case .null: return .some(nil)
            case .string(let s): return .some(s)
            default: return nil
            }
        }
        func integer(_ name: String) -> Int64?? {
            let value: DatabaseValue = raw[name]
            switch value.storage {
            case .null: return .some(nil)
            case .int64(let i): return .some(i)
            default: return nil
            }
        }
        guard let seq = integer("seq") ?? nil, let caseID = integer("case_id") ?? nil,
              let external = text("case_external_id") ?? nil, let user = text("user") ?? nil,
              let role = (text("role") ?? nil).flatMap(DecisionRole.init(rawValue:)),
              let action = (text("action") ?? nil).flatMap(DecisionAction.init(rawValue:)),
              let chosen = text("chosen_drg"), let top = text("model_top_drg"),
              let predictionID = integer("prediction_id"), let predictionSHA = text("prediction_sha256"),
              let reason = text("reason_code"), let note = text("note"),
              let spent = integer("time_spent_ms") ?? nil, let decidedAt = text("decided_at") ?? nil,
              let reverses = integer("reverses_seq"), let prev = text("prev_hash") ?? nil, let hash = text("hash") ?? nil,
              let confirmed = text("confirmed_codes")
        else { return nil }
        return DecisionRecord(seq: seq, caseID: caseID, caseExternalID: external, user: user, role: role, action: action,
                              chosenDRG: chosen, modelTopDRG: top, predictionID: predictionID, predictionSHA256: predictionSHA,
                              reasonCode: reason, note: note, timeSpentMilliseconds: spent, decidedAt: decidedAt,
                              reversesSeq: reverses, prevHash: prev, hash: hash, confirmedCodes: confirmed)
    }
}

import DRGKit
import Foundation
import GRDB

extension AppDatabase {
    /// Stores what a model said about a case. At most one prediction per (case, model key): saving
    /// again for the same model returns the stored row unchanged (predictions are immutable). The
    /// JSON is format 2: it carries the row's provenance, so its SHA-256 covers every column.
    @discardableResult
    public func savePrediction(caseID: Int64, identity: ModelIdentity, prediction: DRGPrediction,
                               elapsedMilliseconds: Double, tokenCount: Int? = nil, truncated: Bool = false,
                               now: Date = Date()) throws -> PredictionRecord {
        guard let top = prediction.ranked.first else { throw StoreError.invalid("a prediction must rank at least one DRG") }
        let createdAt = StoreClock.timestamp(now)
        return try write { db in
            if let existing = try PredictionRecord.fetchOne(
                db, sql: "SELECT * FROM predictions WHERE case_id = ? AND model_key = ?", arguments: [caseID, identity.key]) {
                return existing
            }
            guard let scored = try CaseRecord.fetchOne(db, key: caseID) else { throw StoreError.notFound("no case with id \(caseID)") }
            let provenance = PredictionProvenance(case: scored, identity: identity, createdAt: createdAt,
                                                  elapsedMilliseconds: elapsedMilliseconds, tokenCount: tokenCount, truncated: truncated)
            let json = try PredictionCoding.encode(prediction, provenance: provenance)
            try db.execute(sql: """
                INSERT INTO predictions (case_id, model_path, weights_sha256, adapter_sha256, label_space, model_key,
                    created_at, top_drg, top_probability, prediction_json, prediction_sha256, elapsed_ms, token_count, truncated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [caseID, identity.path, identity.weightsSHA256, identity.adapterSHA256, identity.labelSpace,
                                 identity.key, createdAt, top.drg, top.probability, json,
                                 DecisionChain.sha256Hex(json.utf8), elapsedMilliseconds, tokenCount, truncated])
            guard let stored = try PredictionRecord.fetchOne(db, key: db.lastInsertedRowID) else {
                throw StoreError.io("the prediction just written cannot be read back")
            }
            return stored
        }
    }

    /// The most recent prediction of a case (what a coder is shown), if any.
    public func latestPrediction(caseID: Int64) throws -> PredictionRecord? {
        try read {
            try PredictionRecord.fetchOne($0, sql: "SELECT * FROM predictions WHERE case_id = ? ORDER BY id DESC LIMIT 1",
                                          arguments: [caseID])
        }
    }

    /// One prediction by id.
    public func prediction(id: Int64) throws -> PredictionRecord? {
        try read { try PredictionRecord.fetchOne($0, key: id) }
    }

    /// The next case batch scoring should score with the model `modelKey`: not coded yet, not scored
    /// by that model, highest priority first, then import order; `excluding` skips cases that
    /// failed earlier in this run.
    public func nextCaseToScore(modelKey: String, excluding: Set<Int64> = []) throws -> CaseRecord? {
        try read { db in
            let skipped = excluding.sorted()
            let placeholders = skipped.isEmpty ? "" : "AND c.id NOT IN (\(skipped.map { _ in "?" }.joined(separator: ",")))"
            var arguments: [any DatabaseValueConvertible] = [modelKey]
            arguments.append(contentsOf: skipped)
            return try CaseRecord.fetchOne(db, sql: """
                SELECT c.* FROM cases c
                WHERE c.status <> 'coded'
                  AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.case_id = c.id AND p.model_key = ?)
                  \(placeholders)
                ORDER BY c.priority DESC, c.id LIMIT 1
                """, arguments: StatementArguments(arguments))
        }
    }

    /// How many not-yet-coded cases the model `modelKey` has and has not scored.
    public func scoringProgress(modelKey: String) throws -> (scored: Int, remaining: Int) {
        try read { db in
            let remaining = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM cases c WHERE c.status <> 'coded'
                AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.case_id = c.id AND p.model_key = ?)
                """, arguments: [modelKey]) ?? 0
            let scored = try Int.fetchOne(db, sql: "SELECT count(*) FROM predictions WHERE model_key = ?", arguments: [modelKey]) ?? 0
            return (scored, remaining)
        }
    }
}

/// The stored JSON form of a `DRGPrediction`: JSONEncoder with sorted keys, so the same prediction
/// always has the same bytes and the same `prediction_sha256`. Format 1 is the prediction alone;
/// format 2 (what the store writes now) adds `"provenance"` (see `PredictionProvenance`).
public enum PredictionCoding {
    public static func encode(_ prediction: DRGPrediction) throws -> String {
        try encoded(prediction)
    }

    /// Format 2: the prediction and its provenance in one object.
    public static func encode(_ prediction: DRGPrediction, provenance: PredictionProvenance) throws -> String {
        try encoded(StoredPrediction(prediction: prediction, provenance: provenance))
    }

    private static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode(_ json: String) throws -> DRGPrediction {
        try JSONDecoder().decode(DRGPrediction.self, from: Data(json.utf8))
    }
}

extension PredictionRecord {
    /// The stored `DRGPrediction`.
    public func decoded() throws -> DRGPrediction { try PredictionCoding.decode(predictionJSON) }
}

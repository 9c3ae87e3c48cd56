import CodingStore
import DRGKit
import Foundation
import PostgresNIO

extension PostgresAppDatabase {
    /// As `AppDatabase.savePrediction`: one prediction per (case, model key), a second save returns
    /// the stored row; the JSON (format 2) carries the provenance. Ends the saving worker's scoring claim on the case.
    public func savePrediction(caseID: Int64, identity: ModelIdentity, prediction: DRGPrediction, elapsedMilliseconds: Double,
                               tokenCount: Int?, truncated: Bool, now: Date) throws -> PredictionRecord {
        guard let top = prediction.ranked.first else { throw StoreError.invalid("a prediction must rank at least one DRG") }
        let created = StoreClock.timestamp(now)
        return try transaction { connection in
            guard let scored = try await PostgresRows.first(CaseRecord.self, connection.query(
                "SELECT * FROM cases WHERE id = \(caseID)", logger: Self.logger)) else {
                throw StoreError.notFound("no case with id \(caseID)")
            }
            // Format 2, as on SQLite: the JSON carries the row's provenance, so its SHA-256 covers every column.
            let json = try PredictionCoding.encode(prediction, provenance: PredictionProvenance(
                case: scored, identity: identity, createdAt: created, elapsedMilliseconds: elapsedMilliseconds,
                tokenCount: tokenCount, truncated: truncated))
            let sha = DecisionChain.sha256Hex(json.utf8)
            let inserted = try await PostgresRows.first(PredictionRecord.self, connection.query("""
                INSERT INTO predictions (case_id, model_path, weights_sha256, adapter_sha256, label_space, model_key,
                    created_at, top_drg, top_probability, prediction_json, prediction_sha256, elapsed_ms, token_count, truncated)
                VALUES (\(caseID), \(identity.path), \(identity.weightsSHA256), \(identity.adapterSHA256), \(identity.labelSpace),
                    \(identity.key), \(created), \(top.drg), \(top.probability), \(json), \(sha), \(elapsedMilliseconds),
                    \(tokenCount), \(truncated))
                ON CONFLICT (case_id, model_key) DO NOTHING
                RETURNING *
                """, logger: Self.logger))
            try await connection.query(
                "DELETE FROM scoring_claims WHERE case_id = \(caseID) AND model_key = \(identity.key)", logger: Self.logger)
            if let inserted { return inserted }
            guard let existing = try await PostgresRows.first(PredictionRecord.self, connection.query(
                "SELECT * FROM predictions WHERE case_id = \(caseID) AND model_key = \(identity.key)", logger: Self.logger)) else {
                throw StoreError.io("the prediction just written cannot be read back")
            }
            return existing
        }
    }

    public func latestPrediction(caseID: Int64) throws -> PredictionRecord? {
        try read { client in
            try await PostgresRows.first(PredictionRecord.self, client.query(
                "SELECT * FROM predictions WHERE case_id = \(caseID) ORDER BY id DESC LIMIT 1", logger: Self.logger))
        }
    }

    /// Reserves the next case to score for `worker`: not coded, not scored by `modelKey`, and not
    /// reserved by another worker whose lease is still running. The case row is taken `FOR UPDATE
    /// SKIP LOCKED` (workers never wait on each other) and the reservation is an upsert into
    /// `scoring_claims` that only overwrites an expired or own reservation, so two workers never
    /// hold the same (case, model); a dead worker's case is taken again once its lease has passed.
    public func claimCaseToScore(modelKey: String, worker: String, lease: TimeInterval, excluding: Set<Int64>,
                                 now: Date) throws -> CaseRecord? {
        let t = now.timeIntervalSince1970
        let skipped = excluding.sorted()
        return try transaction { connection in
            for _ in 0..<100 {
                guard let candidate = try await PostgresRows.first(CaseRecord.self, connection.query("""
                    SELECT c.* FROM cases c
                    WHERE c.status <> 'coded'
                      AND NOT (c.id = ANY(\(skipped)))
                      AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.case_id = c.id AND p.model_key = \(modelKey))
                      AND NOT EXISTS (SELECT 1 FROM scoring_claims s WHERE s.case_id = c.id AND s.model_key = \(modelKey)
                                      AND s.worker <> \(worker) AND s.lease_expires_at > \(t))
                    ORDER BY c.priority DESC, c.id
                    LIMIT 1
                    FOR UPDATE OF c SKIP LOCKED
                    """, logger: Self.logger)) else { return nil }
                let reserved = try await PostgresRows.count(connection.query("""
                    INSERT INTO scoring_claims (case_id, model_key, worker, lease_expires_at)
                    VALUES (\(candidate.id), \(modelKey), \(worker), \(t + lease))
                    ON CONFLICT (case_id, model_key) DO UPDATE
                        SET worker = EXCLUDED.worker, lease_expires_at = EXCLUDED.lease_expires_at
                        WHERE scoring_claims.worker = EXCLUDED.worker OR scoring_claims.lease_expires_at <= \(t)
                    RETURNING case_id
                    """, logger: Self.logger))
                if reserved == 1 { return candidate }
                // Another worker reserved it between our read and our lock: look again.
            }
            return nil
        }
    }

    public func scoringProgress(modelKey: String) throws -> (scored: Int, remaining: Int) {
        try read { client in
            let remaining = try await PostgresRows.scalar(Int64.self, client.query("""
                SELECT count(*) FROM cases c WHERE c.status <> 'coded'
                AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.case_id = c.id AND p.model_key = \(modelKey))
                """, logger: Self.logger)) ?? 0
            let scored = try await PostgresRows.scalar(Int64.self, client.query(
                "SELECT count(*) FROM predictions WHERE model_key = \(modelKey)", logger: Self.logger)) ?? 0
            return (Int(scored), Int(remaining))
        }
    }
}

import CodingStore
import Foundation
import PostgresNIO

extension PostgresAppDatabase {
    /// Every row, read in one REPEATABLE READ transaction (one consistent view while coders work).
    public func snapshot() throws -> StoreSnapshot {
        try transaction { connection in
            let logger = Self.logger
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            var snapshot = StoreSnapshot()
            snapshot.cases = try await PostgresRows.all(CaseRecord.self, connection.query(
                "SELECT * FROM cases ORDER BY id", logger: logger))
            for try await (caseID, kind, code, version, seq, source) in try await connection.query(
                "SELECT case_id, kind, code, icd_version, seq, source FROM case_codes ORDER BY id", logger: logger
            ).decode((Int64, String, String, Int, Int, String).self) {
                guard let kind = CaseCode.Kind(rawValue: kind) else { continue }
                snapshot.codes.append(.init(caseID: caseID, code: CaseCode(kind: kind, code: code, icdVersion: version, seq: seq),
                                            source: source))
            }
            snapshot.predictions = try await PostgresRows.all(PredictionRecord.self, connection.query(
                "SELECT * FROM predictions ORDER BY id", logger: logger))
            snapshot.notes = try await PostgresRows.all(CaseNoteRecord.self, connection.query(
                "SELECT * FROM case_notes ORDER BY id", logger: logger))
            snapshot.earlyPredictions = try await PostgresRows.all(EarlyPredictionRecord.self, connection.query(
                "SELECT * FROM early_predictions ORDER BY id", logger: logger))
            snapshot.decisions = try await PostgresRows.all(DecisionRecord.self, connection.query(
                "SELECT * FROM decisions ORDER BY seq", logger: logger))
            snapshot.decisionHighWater = try await PostgresRows.scalar(Int64.self, connection.query(
                "SELECT seq FROM decision_high_water WHERE id = 1", logger: logger)) ?? 0
            return snapshot
        }
    }

    /// Copies a whole store in one transaction: keys kept, every decision through the chain
    /// trigger (so a broken chain is refused, not copied), identities moved past the copied keys.
    public func load(_ snapshot: StoreSnapshot) throws {
        try transaction { connection in
            let logger = Self.logger
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.chainLock))", logger: logger)
            guard try await PostgresRows.scalar(Int64.self, connection.query("SELECT count(*) FROM cases", logger: logger)) == 0 else {
                throw StoreError.conflict("the PostgreSQL store already holds cases; copy into a new, empty database")
            }
            for c in snapshot.cases { try await Self.insertCase(c, keepID: true, connection) }
            try await Self.insertCodes(snapshot.codes, caseIDs: nil, connection)
            for p in snapshot.predictions {
                try await connection.query("""
                    INSERT INTO predictions (id, case_id, model_path, weights_sha256, adapter_sha256, label_space, model_key,
                        created_at, top_drg, top_probability, prediction_json, prediction_sha256, elapsed_ms, token_count, truncated)
                    VALUES (\(p.id), \(p.caseID), \(p.modelPath), \(p.weightsSHA256), \(p.adapterSHA256), \(p.labelSpace),
                        \(p.modelKey), \(p.createdAt), \(p.topDRG), \(p.topProbability), \(p.predictionJSON), \(p.predictionSHA256),
                        \(p.elapsedMilliseconds), \(p.tokenCount), \(p.truncated))
                    """, logger: logger)
            }
            for n in snapshot.notes {
                try await connection.query("""
                    INSERT INTO case_notes (id, case_id, note_id, note_type, charttime, text, imported_at)
                    VALUES (\(n.id), \(n.caseID), \(n.noteID), \(n.noteType), \(n.chartTime), \(n.text), \(n.importedAt ?? ""))
                    """, logger: logger)
            }
            for e in snapshot.earlyPredictions { try await Self.insertEarlyPrediction(e, keepID: true, connection) }
            for d in snapshot.decisions { try await Self.insert(d, connection) }
            if snapshot.decisionHighWater > (snapshot.decisions.last?.seq ?? 0) {
                try await connection.query("""
                    INSERT INTO decision_high_water (id, seq) VALUES (1, \(snapshot.decisionHighWater))
                    ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq
                    """, logger: logger)
            }
            for table in ["cases", "case_codes", "predictions", "case_notes", "early_predictions"] {
                try await connection.query("""
                    SELECT setval(pg_get_serial_sequence(\(table), 'id'), COALESCE((SELECT max(id) FROM \(unescaped: table)), 0) + 1, false)
                    """, logger: logger)
            }
        }
    }

    /// Pages of `batchSize` cases (with their codes) from the staged store into the server, all in
    /// one transaction: the server never sees half a file, and the client holds one page at a time.
    public func appendCases(streamingFrom staged: AppDatabase, batchSize: Int) throws -> Int {
        try transaction { connection in
            var after: Int64 = 0, added = 0
            while true {
                let page = try staged.casePage(after: after, limit: batchSize)
                guard let last = page.cases.last?.id else { return added }
                added += try await Self.appendPage(page, connection)
                after = last
            }
        }
    }

    public func appendCases(from snapshot: StoreSnapshot) throws -> Int {
        try transaction { connection in try await Self.appendPage(snapshot, connection) }
    }

    /// The snapshot's cases that are new (by source and external id), as queued, with their codes.
    private static func appendPage(_ snapshot: StoreSnapshot, _ connection: PostgresConnection) async throws -> Int {
        var newID: [Int64: Int64] = [:]
        for c in snapshot.cases {
            var fresh = c
            fresh.status = .queued; fresh.claimHolder = nil; fresh.leaseExpiresAt = nil; fresh.codedDRG = nil
            if let id = try await insertCase(fresh, keepID: false, connection) { newID[c.id] = id }
        }
        try await insertCodes(snapshot.codes, caseIDs: newID, connection)
        return newID.count
    }

    /// Inserts a case (with its key, or a new one); nil when (source, external id) is already there.
    @discardableResult
    private static func insertCase(_ c: CaseRecord, keepID: Bool, _ connection: PostgresConnection) async throws -> Int64? {
        let id: Int64? = keepID ? c.id : nil
        return try await PostgresRows.scalar(Int64.self, connection.query("""
            INSERT INTO cases (id, source, external_id, hadm_id, subject_id, admitted_on, discharged_on, note_text,
                section_text, section_source, final_drg, metadata_json, status, priority, claim_holder,
                lease_expires_at, coded_drg, imported_at, final_apr_drg)
            OVERRIDING SYSTEM VALUE
            VALUES (COALESCE(\(id), nextval(pg_get_serial_sequence('cases', 'id'))), \(c.source), \(c.externalID), \(c.hadmID),
                \(c.subjectID), \(c.admittedOn), \(c.dischargedOn), \(c.noteText), \(c.sectionText), \(c.sectionSource.rawValue),
                \(c.finalDRG), \(c.metadataJSON), \(c.status.rawValue), \(c.priority), \(c.claimHolder), \(c.leaseExpiresAt),
                \(c.codedDRG), \(c.importedAt), \(c.finalAPRDRG))
            ON CONFLICT (source, external_id) DO NOTHING
            RETURNING id
            """, logger: logger))
    }

    /// The codes, onto the same case ids (`caseIDs` nil) or onto the mapped ones (others skipped).
    private static func insertCodes(_ codes: [StoreSnapshot.Code], caseIDs: [Int64: Int64]?, _ connection: PostgresConnection) async throws {
        for code in codes {
            let mapped: Int64?
            if let caseIDs { mapped = caseIDs[code.caseID] } else { mapped = code.caseID }
            guard let caseID = mapped else { continue }
            try await connection.query("""
                INSERT INTO case_codes (case_id, kind, code, icd_version, seq, source)
                VALUES (\(caseID), \(code.code.kind.rawValue), \(code.code.code), \(code.code.icdVersion), \(code.code.seq), \(code.source))
                """, logger: logger)
        }
    }
}

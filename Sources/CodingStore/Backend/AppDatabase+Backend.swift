import DRGKit
import Foundation
import GRDB

extension AppDatabase: StoreBackend {
    public var location: String { writer.path }

    /// SQLite: one process scores a file at a time, so the next case is simply the next unscored
    /// one (`nextCaseToScore`); `worker` and `lease` matter only on a shared server.
    public func claimCaseToScore(modelKey: String, worker: String, lease: TimeInterval, excluding: Set<Int64>,
                                 now: Date) throws -> CaseRecord? {
        try nextCaseToScore(modelKey: modelKey, excluding: excluding)
    }

    public func snapshot() throws -> StoreSnapshot {
        try read { db in
            var snapshot = StoreSnapshot()
            snapshot.cases = try CaseRecord.fetchAll(db, sql: "SELECT * FROM cases ORDER BY id")
            snapshot.codes = try Self.snapshotCodes(db, sql: "SELECT * FROM case_codes ORDER BY id")
            snapshot.predictions = try PredictionRecord.fetchAll(db, sql: "SELECT * FROM predictions ORDER BY id")
            snapshot.notes = try CaseNoteRecord.fetchAll(db, sql: "SELECT * FROM case_notes ORDER BY id")
            snapshot.earlyPredictions = try EarlyPredictionRecord.fetchAll(db, sql: "SELECT * FROM early_predictions ORDER BY id")
            snapshot.decisions = try DecisionRecord.fetchAll(db, sql: "SELECT * FROM decisions ORDER BY seq")
            snapshot.decisionHighWater = try Int64.fetchOne(
                db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'decisions'") ?? 0
            return snapshot
        }
    }

    public func load(_ snapshot: StoreSnapshot) throws {
        try write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM cases") == 0 else {
                throw StoreError.conflict("\(location) already holds cases; copy into a new, empty store")
            }
            try Self.insertRows(snapshot, db)   // the chain trigger checks every decision's seq and prev_hash
        }
    }

    public func appendCases(from snapshot: StoreSnapshot) throws -> Int {
        try write { db in
            var added = 0
            var newID: [Int64: Int64] = [:]
            for c in snapshot.cases {
                let known = try Int64.fetchOne(db, sql: "SELECT id FROM cases WHERE source = ? AND external_id = ?",
                                               arguments: [c.source, c.externalID])
                guard known == nil else { continue }
                var fresh = c
                fresh.status = .queued; fresh.claimHolder = nil; fresh.leaseExpiresAt = nil; fresh.codedDRG = nil
                try Self.insertCase(fresh, keepID: false, db)
                newID[c.id] = db.lastInsertedRowID
                added += 1
            }
            for code in snapshot.codes {
                guard let id = newID[code.caseID] else { continue }
                try insertCodes([code.code], caseID: id, source: code.source, db)
            }
            return added
        }
    }

    /// SQLite: one read of the staged store (the embedded backend imports into the file directly).
    public func appendCases(streamingFrom staged: AppDatabase, batchSize: Int) throws -> Int {
        try appendCases(from: staged.snapshot())
    }

    /// Up to `limit` cases with ids above `after`, in id order, with their codes (nothing else): one
    /// page of a store read in bounded pieces (`appendCases(streamingFrom:batchSize:)`).
    public func casePage(after: Int64, limit: Int) throws -> StoreSnapshot {
        try read { db in
            var page = StoreSnapshot()
            page.cases = try CaseRecord.fetchAll(db, sql: "SELECT * FROM cases WHERE id > ? ORDER BY id LIMIT ?",
                                                 arguments: [after, limit])
            guard let first = page.cases.first?.id, let last = page.cases.last?.id else { return page }
            page.codes = try Self.snapshotCodes(db, sql: "SELECT * FROM case_codes WHERE case_id BETWEEN ? AND ? ORDER BY id",
                                                arguments: [first, last])
            return page
        }
    }

    /// A throw-away in-memory copy of `snapshot` for reading with this type's code (export, replay,
    /// evaluation and `verifyChain` of a PostgreSQL store). Its append-only and chain triggers are
    /// dropped first, so a damaged chain is copied as it is and `verifyChain` finds the damage, not
    /// the insert. Never written back anywhere. `foreignKeys: false` for a part of a store (the
    /// rows an incremental `verifyChain` walks), whose rows point at rows left out.
    public static func mirror(of snapshot: StoreSnapshot, foreignKeys: Bool = true) throws -> AppDatabase {
        let mirror = try AppDatabase.inMemory(foreignKeys: foreignKeys)
        try mirror.writer.write { db in
            for trigger in ["decisions_are_append_only_update", "decisions_are_append_only_delete",
                            "decisions_extend_the_chain", "predictions_are_immutable_update",
                            "predictions_are_immutable_delete"] {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger)")
            }
            try insertRows(snapshot, db)
        }
        return mirror
    }

    private static func snapshotCodes(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [StoreSnapshot.Code] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
            CaseCode.Kind(rawValue: row["kind"]).map {
                StoreSnapshot.Code(caseID: row["case_id"], code: CaseCode(kind: $0, code: row["code"],
                                   icdVersion: row["icd_version"], seq: row["seq"]), source: row["source"])
            }
        }
    }

    /// Every row of `snapshot` with its keys, then the decisions' high-water mark.
    private static func insertRows(_ snapshot: StoreSnapshot, _ db: Database) throws {
        for c in snapshot.cases { try insertCase(c, keepID: true, db) }
        for code in snapshot.codes {
            try db.execute(sql: "INSERT INTO case_codes (case_id, kind, code, icd_version, seq, source) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [code.caseID, code.code.kind.rawValue, code.code.code, code.code.icdVersion,
                                       code.code.seq, code.source])
        }
        for p in snapshot.predictions {
            try db.execute(sql: """
                INSERT INTO predictions (id, case_id, model_path, weights_sha256, adapter_sha256, label_space, model_key,
                    created_at, top_drg, top_probability, prediction_json, prediction_sha256, elapsed_ms, token_count, truncated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [p.id, p.caseID, p.modelPath, p.weightsSHA256, p.adapterSHA256, p.labelSpace, p.modelKey,
                                 p.createdAt, p.topDRG, p.topProbability, p.predictionJSON, p.predictionSHA256,
                                 p.elapsedMilliseconds, p.tokenCount, p.truncated])
        }
        for n in snapshot.notes {
            try db.execute(sql: """
                INSERT INTO case_notes (id, case_id, note_id, note_type, charttime, text, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [n.id, n.caseID, n.noteID, n.noteType, n.chartTime, n.text, n.importedAt ?? ""])
        }
        for e in snapshot.earlyPredictions {
            try db.execute(sql: """
                INSERT INTO early_predictions (id, case_id, model_path, weights_sha256, adapter_sha256, label_space, model_key,
                    cutoff, notes_read, last_note_id, input_sha256, created_at, top_drg, top_probability, prediction_json,
                    prediction_sha256, elapsed_ms, token_count, truncated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [e.id, e.caseID, e.modelPath, e.weightsSHA256, e.adapterSHA256, e.labelSpace, e.modelKey,
                                 e.cutoff, e.notesRead, e.lastNoteID, e.inputSHA256, e.createdAt, e.topDRG, e.topProbability,
                                 e.predictionJSON, e.predictionSHA256, e.elapsedMilliseconds, e.tokenCount, e.truncated])
        }
        for d in snapshot.decisions { try insertDecision(d, db) }
        let last = snapshot.decisions.last?.seq ?? 0
        if snapshot.decisionHighWater > last {
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'decisions'")
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('decisions', ?)",
                           arguments: [snapshot.decisionHighWater])
        }
    }

    private static func insertCase(_ c: CaseRecord, keepID: Bool, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO cases (id, source, external_id, hadm_id, subject_id, admitted_on, discharged_on, note_text,
                section_text, section_source, final_drg, metadata_json, status, priority, claim_holder,
                lease_expires_at, coded_drg, imported_at, final_apr_drg)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [keepID ? c.id : nil, c.source, c.externalID, c.hadmID, c.subjectID, c.admittedOn,
                             c.dischargedOn, c.noteText, c.sectionText, c.sectionSource.rawValue, c.finalDRG,
                             c.metadataJSON, c.status.rawValue, c.priority, c.claimHolder, c.leaseExpiresAt,
                             c.codedDRG, c.importedAt, c.finalAPRDRG])
    }
}

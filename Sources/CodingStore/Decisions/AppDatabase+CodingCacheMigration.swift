import GRDB

extension AppDatabase {
    /// "v4 recompute coding from chain": sets every case's cached `status` and `coded_drg` from its
    /// decisions. Databases written before the claims change (issue 13) can disagree with the chain:
    /// an old flag wiped `coded_drg`, a flagging coder could clear the flag with an accept, two
    /// accepts could follow each other. `audit verify` compares the caches with `CaseCoding.fold`
    /// and would name those cases; after this migration they agree.
    ///
    /// Frozen SQL (STYLE.md item 12), the fold of `CaseCoding` at the time it was written:
    /// - a decision is *effective* when it is not an undo and no undo of its case reverses it;
    /// - the case's coding is its last effective accept / override / defer: accept and override code
    ///   it with their `chosen_drg`, defer leaves it uncoded and deferred;
    /// - it is flagged when an effective flag follows that coding (or there is no coding);
    /// - status: flagged, else coded, else deferred, else `in_progress` when someone holds a claim,
    ///   else queued. Claims themselves are left as they are (their leases run out).
    /// `CodingCacheMigrationTests` checks the result against `CaseCoding` through `verifyChain`.
    static func registerCodingCacheMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4 recompute coding from chain") { db in
            try db.execute(sql: recomputeCodingSQL)
        }
    }

    /// The statements of "v4 recompute coding from chain" (never edit: a change is a new migration).
    static let recomputeCodingSQL = """
        CREATE TABLE coding_cache_v4 (
            case_id INTEGER PRIMARY KEY,
            coding_seq INTEGER,
            coding_action TEXT,
            drg TEXT,
            flagged INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO coding_cache_v4 (case_id, coding_seq)
            SELECT d.case_id, max(CASE WHEN d.action IN ('accept', 'override', 'defer') THEN d.seq END)
            FROM decisions d
            WHERE d.action <> 'undo'
              AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.case_id = d.case_id AND u.reverses_seq = d.seq)
            GROUP BY d.case_id;
        UPDATE coding_cache_v4 SET
            coding_action = (SELECT action FROM decisions WHERE seq = coding_cache_v4.coding_seq),
            drg = (SELECT chosen_drg FROM decisions WHERE seq = coding_cache_v4.coding_seq),
            flagged = EXISTS (
                SELECT 1 FROM decisions f
                WHERE f.case_id = coding_cache_v4.case_id AND f.action = 'flag'
                  AND f.seq > COALESCE(coding_cache_v4.coding_seq, 0)
                  AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.case_id = f.case_id AND u.reverses_seq = f.seq));
        UPDATE cases SET
            coded_drg = (SELECT drg FROM coding_cache_v4 WHERE case_id = cases.id),
            status = COALESCE(
                (SELECT CASE WHEN flagged THEN 'flagged'
                             WHEN coding_action IN ('accept', 'override') THEN 'coded'
                             WHEN coding_action = 'defer' THEN 'deferred' END
                 FROM coding_cache_v4 WHERE case_id = cases.id),
                CASE WHEN claim_holder IS NOT NULL THEN 'in_progress' ELSE 'queued' END);
        DROP TABLE coding_cache_v4;
        """
}

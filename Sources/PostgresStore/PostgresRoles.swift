/// The department's roles and what each may do, as the SQL docs/TEAM.md prints (a test checks that
/// the document and this list agree, and runs the list against a server). The group roles are
/// created once by the server's administrator; the owner of the database runs `grants` after the
/// tables exist (the first drgcoder command creates them).
///
/// - coders and auditors read everything, claim (the claim and cached columns of `cases`) and
///   append decisions; never UPDATE or DELETE a decision (the triggers refuse that to everyone);
/// - trainers read (and so export and replay);
/// - scoring workers read, reserve cases in `scoring_claims` and insert predictions and early
///   predictions (`score --cutoff`);
/// - imports (cases, MIMIC-IV codes, chart-timed notes) are the owner's: no group role inserts cases,
///   codes or notes.
public enum PostgresRoles {
    public static let coder = "drgcoder_coder", auditor = "drgcoder_auditor", trainer = "drgcoder_trainer",
                      scorer = "drgcoder_scorer"

    /// The grants, one statement each, run in the department's database by its owner.
    public static let grants: [String] = [
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
        "GRANT USAGE ON SCHEMA public TO drgcoder_coder, drgcoder_auditor, drgcoder_trainer, drgcoder_scorer",
        "GRANT SELECT ON cases, case_codes, case_notes, predictions, early_predictions, decisions, decision_high_water, drgcoder_migrations TO drgcoder_coder, drgcoder_auditor, drgcoder_trainer, drgcoder_scorer",
        "GRANT UPDATE (status, claim_holder, lease_expires_at, coded_drg) ON cases TO drgcoder_coder, drgcoder_auditor",
        "GRANT INSERT ON decisions TO drgcoder_coder, drgcoder_auditor",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON scoring_claims TO drgcoder_scorer",
        "GRANT INSERT ON predictions TO drgcoder_scorer",
        "GRANT USAGE ON SEQUENCE predictions_id_seq TO drgcoder_scorer",
        "GRANT INSERT ON early_predictions TO drgcoder_scorer",
        "GRANT USAGE ON SEQUENCE early_predictions_id_seq TO drgcoder_scorer",
    ]
}

import GRDB

extension AppDatabase {
    /// `case_codes`: the ICD codes a case already carries (issue 15), in their own table, never in the note.
    /// Frozen like every migration (STYLE.md item 12): a change is a new migration.
    ///
    /// - `kind`: `pdx` (principal diagnosis, at most one a case: seq 1), `sdx` (secondary diagnoses, seq 1...)
    ///   or `pcs` (procedures, seq 1...);
    /// - `icd_version`: 10, or 9 for ICD-9-CM rows of MIMIC-IV, kept so the screen can show them, but
    ///   given no CC/MCC attribution;
    /// - `code`: upper case without a dot ("J9601", "4280", "02703DZ"); `source` the import format.
    static func registerCodesMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2 case codes") { db in
            try db.execute(sql: """
                CREATE TABLE case_codes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER NOT NULL REFERENCES cases(id),
                    kind TEXT NOT NULL CHECK (kind IN ('pdx', 'sdx', 'pcs')),
                    code TEXT NOT NULL CHECK (length(code) BETWEEN 3 AND 7 AND code = upper(code) AND instr(code, '.') = 0),
                    icd_version INTEGER NOT NULL CHECK (icd_version IN (9, 10)),
                    seq INTEGER NOT NULL CHECK (seq >= 1),
                    source TEXT NOT NULL CHECK (length(source) > 0),
                    UNIQUE (case_id, kind, seq),
                    CHECK (kind <> 'pdx' OR seq = 1)
                );
                CREATE INDEX case_codes_by_case ON case_codes (case_id, kind, seq);
                """)
        }
        // The codes a coder confirmed with a decision ("pdx:J189 sdx:J9601"), hashed into the chain when present
        // (DecisionChain). ADD COLUMN fires no trigger and leaves every existing row and hash as it was.
        migrator.registerMigration("v3 decision codes") { db in
            try db.execute(sql: """
                ALTER TABLE decisions ADD COLUMN confirmed_codes TEXT
                    CHECK (confirmed_codes IS NULL OR length(confirmed_codes) > 0);
                """)
        }
    }
}

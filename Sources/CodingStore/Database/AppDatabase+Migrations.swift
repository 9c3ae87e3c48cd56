import GRDB

extension AppDatabase {
    /// The schema, as a list of frozen migrations. A shipped migration is never edited: a change
    /// is a new migration appended at the end. Migrations speak SQL only and never mention app
    /// types, so an old database always migrates the same way (STYLE.md item 12).
    ///
    /// Tables:
    /// - `cases`: one discharge summary. `(source, external_id)` is unique, which makes re-import
    ///   idempotent. `status` is queued / in_progress / coded / deferred / flagged; a claim is
    ///   `claim_holder` + `lease_expires_at` (Unix seconds), both set or both NULL.
    /// - `predictions`: what one model said about one case, at most one row per (case, model key).
    ///   Immutable (triggers).
    /// - `decisions`: the append-only, hash-chained log (see `DecisionChain`). NOT NULL / CHECK
    ///   constraints describe a valid row; triggers reject UPDATE and DELETE and any insert whose
    ///   `prev_hash` is not the hash of the current last row.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1 cases") { db in
            try db.execute(sql: """
                CREATE TABLE cases (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    source TEXT NOT NULL CHECK (length(source) > 0),
                    external_id TEXT NOT NULL CHECK (length(external_id) > 0),
                    hadm_id TEXT,
                    subject_id TEXT,
                    admitted_on TEXT,
                    discharged_on TEXT,
                    note_text TEXT NOT NULL,
                    section_text TEXT NOT NULL,
                    section_source TEXT NOT NULL
                        CHECK (section_source IN ('pattern1', 'pattern2', 'pattern3', 'pattern4', 'whole-note')),
                    final_drg TEXT,
                    metadata_json TEXT,
                    status TEXT NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'in_progress', 'coded', 'deferred', 'flagged')),
                    priority INTEGER NOT NULL DEFAULT 0,
                    claim_holder TEXT,
                    lease_expires_at REAL,
                    coded_drg TEXT,
                    imported_at TEXT NOT NULL,
                    UNIQUE (source, external_id),
                    CHECK ((claim_holder IS NULL) = (lease_expires_at IS NULL))
                );
                CREATE INDEX cases_by_queue_order ON cases (status, priority DESC, id);
                CREATE INDEX cases_by_hadm ON cases (hadm_id);
                """)
        }

        migrator.registerMigration("v1 predictions") { db in
            try db.execute(sql: """
                CREATE TABLE predictions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER NOT NULL REFERENCES cases(id),
                    model_path TEXT NOT NULL,
                    weights_sha256 TEXT NOT NULL,
                    adapter_sha256 TEXT,
                    label_space TEXT NOT NULL,
                    model_key TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    top_drg TEXT NOT NULL,
                    top_probability REAL NOT NULL,
                    prediction_json TEXT NOT NULL,
                    prediction_sha256 TEXT NOT NULL CHECK (length(prediction_sha256) = 64),
                    elapsed_ms REAL NOT NULL,
                    token_count INTEGER,
                    truncated INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
                    UNIQUE (case_id, model_key)
                );
                CREATE TRIGGER predictions_are_immutable_update BEFORE UPDATE ON predictions
                BEGIN SELECT RAISE(ABORT, 'predictions are immutable: UPDATE is not allowed'); END;
                CREATE TRIGGER predictions_are_immutable_delete BEFORE DELETE ON predictions
                BEGIN SELECT RAISE(ABORT, 'predictions are immutable: DELETE is not allowed'); END;
                """)
        }

        migrator.registerMigration("v1 decisions") { db in
            try db.execute(sql: """
                CREATE TABLE decisions (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER NOT NULL REFERENCES cases(id),
                    case_external_id TEXT NOT NULL,
                    user TEXT NOT NULL CHECK (length(user) > 0),
                    role TEXT NOT NULL CHECK (role IN ('coder', 'auditor', 'trainer')),
                    action TEXT NOT NULL CHECK (action IN ('accept', 'override', 'defer', 'flag', 'undo')),
                    chosen_drg TEXT,
                    model_top_drg TEXT,
                    prediction_id INTEGER REFERENCES predictions(id),
                    prediction_sha256 TEXT,
                    reason_code TEXT,
                    note TEXT,
                    time_spent_ms INTEGER NOT NULL CHECK (time_spent_ms >= 0),
                    decided_at TEXT NOT NULL CHECK (length(decided_at) = 24),
                    reverses_seq INTEGER REFERENCES decisions(seq),
                    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
                    hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
                    CHECK ((action IN ('accept', 'override')) = (chosen_drg IS NOT NULL)),
                    CHECK (action <> 'accept' OR chosen_drg = model_top_drg),
                    CHECK ((action = 'undo') = (reverses_seq IS NOT NULL)),
                    CHECK (reverses_seq IS NULL OR reverses_seq < seq),
                    CHECK ((prediction_id IS NULL) = (prediction_sha256 IS NULL))
                );
                CREATE INDEX decisions_by_case ON decisions (case_id, seq);
                CREATE TRIGGER decisions_are_append_only_update BEFORE UPDATE ON decisions
                BEGIN SELECT RAISE(ABORT, 'decisions are append-only: UPDATE is not allowed'); END;
                CREATE TRIGGER decisions_are_append_only_delete BEFORE DELETE ON decisions
                BEGIN SELECT RAISE(ABORT, 'decisions are append-only: DELETE is not allowed'); END;
                CREATE TRIGGER decisions_extend_the_chain BEFORE INSERT ON decisions
                WHEN NEW.prev_hash IS NOT COALESCE(
                        (SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1),
                        '0000000000000000000000000000000000000000000000000000000000000000')
                  OR NEW.seq IS NOT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'decisions'), 0) + 1
                BEGIN SELECT RAISE(ABORT, 'decisions: a new row must follow the last one (seq and prev_hash)'); END;
                """)
        }
        registerCodesMigrations(&migrator)
        registerCodingCacheMigration(&migrator)
        registerCaseNotesMigrations(&migrator)
        return migrator
    }
}

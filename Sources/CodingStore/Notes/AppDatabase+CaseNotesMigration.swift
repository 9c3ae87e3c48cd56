import GRDB

extension AppDatabase {
    /// Early DRG prediction (issue 19; Liu et al. 2021, ../shared/papers/003): the notes of a stay with
    /// their chart times, and the predictions made from the notes up to a cut-off. Frozen like every
    /// migration (STYLE.md item 12): a change is a new migration.
    ///
    /// - `cases.final_apr_drg`: the stay's final APR-DRG (`194-4`: base-severity), beside the MS-DRG
    ///   `final_drg`; a different DRG system, never compared with MS-DRGs.
    /// - `case_notes`: one clinical note of a stay (`note_type` as the source wrote it: MIMIC `DS`, `RR`,
    ///   JSONL `radiology`…), `charttime` normalised to `YYYY-MM-DD HH:MM:SS` so text order is time
    ///   order. Unique per (case, note id): re-importing adds nothing. Immutable (triggers).
    /// - `early_predictions`: what a model said from a case's notes up to `cutoff` (`24h`, `48h` after
    ///   admission, or `now`: every note so far). `notes_read` and `last_note_id` say which notes it
    ///   read, `input_sha256` the text built from them: a new note inside the window changes the input,
    ///   so the prediction is stale and the next `score --cutoff` adds a new row (never an update).
    static func registerCaseNotesMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5 case notes") { db in
            try db.execute(sql: """
                ALTER TABLE cases ADD COLUMN final_apr_drg TEXT;
                CREATE TABLE case_notes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER NOT NULL REFERENCES cases(id),
                    note_id TEXT NOT NULL CHECK (length(note_id) > 0),
                    note_type TEXT NOT NULL,
                    charttime TEXT NOT NULL CHECK (length(charttime) = 19),
                    text TEXT NOT NULL,
                    imported_at TEXT NOT NULL,
                    UNIQUE (case_id, note_id)
                );
                CREATE INDEX case_notes_by_time ON case_notes (case_id, charttime, id);
                CREATE TRIGGER case_notes_are_immutable_update BEFORE UPDATE ON case_notes
                BEGIN SELECT RAISE(ABORT, 'case notes are immutable: UPDATE is not allowed'); END;
                CREATE TRIGGER case_notes_are_immutable_delete BEFORE DELETE ON case_notes
                BEGIN SELECT RAISE(ABORT, 'case notes are immutable: DELETE is not allowed'); END;
                CREATE TABLE early_predictions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER NOT NULL REFERENCES cases(id),
                    model_path TEXT NOT NULL,
                    weights_sha256 TEXT NOT NULL,
                    adapter_sha256 TEXT,
                    label_space TEXT NOT NULL,
                    model_key TEXT NOT NULL,
                    cutoff TEXT NOT NULL CHECK (cutoff IN ('24h', '48h', 'now')),
                    notes_read INTEGER NOT NULL CHECK (notes_read >= 1),
                    last_note_id INTEGER NOT NULL REFERENCES case_notes(id),
                    input_sha256 TEXT NOT NULL CHECK (length(input_sha256) = 64),
                    created_at TEXT NOT NULL,
                    top_drg TEXT NOT NULL,
                    top_probability REAL NOT NULL,
                    prediction_json TEXT NOT NULL,
                    prediction_sha256 TEXT NOT NULL CHECK (length(prediction_sha256) = 64),
                    elapsed_ms REAL NOT NULL,
                    token_count INTEGER,
                    truncated INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
                    UNIQUE (case_id, model_key, cutoff, input_sha256)
                );
                CREATE INDEX early_predictions_by_case ON early_predictions (case_id, id);
                CREATE TRIGGER early_predictions_are_immutable_update BEFORE UPDATE ON early_predictions
                BEGIN SELECT RAISE(ABORT, 'early predictions are immutable: UPDATE is not allowed'); END;
                CREATE TRIGGER early_predictions_are_immutable_delete BEFORE DELETE ON early_predictions
                BEGIN SELECT RAISE(ABORT, 'early predictions are immutable: DELETE is not allowed'); END;
                """)
        }
    }
}

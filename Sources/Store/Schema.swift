/// The run store's schema, applied in numbered migrations (the `user_version` pragma records the last).
enum Schema {
    static let migrations: [String] = [
        """
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,               -- RunKind: prep | score | import | ensemble
          spec_name TEXT, spec_path TEXT, spec_digest TEXT, spec_version INTEGER,
          status TEXT NOT NULL,             -- RunStatus: running | done | failed | interrupted
          started_at TEXT NOT NULL, finished_at TEXT, seconds REAL,
          settings TEXT NOT NULL DEFAULT '{}',
          summary TEXT NOT NULL DEFAULT '{}',
          parent_run INTEGER REFERENCES runs(id)
        );
        CREATE TABLE stages (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          name TEXT NOT NULL,
          cache_key TEXT NOT NULL,
          input_digest TEXT NOT NULL,
          output_digest TEXT NOT NULL,
          rows_in INTEGER NOT NULL, rows_out INTEGER NOT NULL,
          removed TEXT NOT NULL DEFAULT '{}',
          details TEXT NOT NULL DEFAULT '{}',
          seconds REAL NOT NULL,
          skipped INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (run_id, position)
        );
        CREATE TABLE artifacts (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          stage_position INTEGER NOT NULL,
          path TEXT NOT NULL, digest TEXT NOT NULL, bytes INTEGER NOT NULL, rows INTEGER NOT NULL,
          PRIMARY KEY (run_id, path)
        );
        CREATE INDEX stages_cache ON stages(cache_key);
        """,
        """
        CREATE TABLE predictions (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          item_id TEXT NOT NULL,
          gold TEXT, predicted TEXT,
          scores TEXT NOT NULL DEFAULT '{}',
          fields TEXT NOT NULL DEFAULT '{}',
          PRIMARY KEY (run_id, item_id)
        );
        CREATE TABLE log_points (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          source TEXT NOT NULL, step REAL NOT NULL, epoch REAL, key TEXT NOT NULL, value REAL NOT NULL
        );
        CREATE INDEX log_points_run ON log_points(run_id, key, step);
        """,
        // 3: human grading (`eval import-grades`). `grading` keeps the spec's `eval.grading` as it was
        // at the latest import, so reports need no spec; `grades` holds one row per graded cell (an
        // empty cell, ungraded, has no row), with the item's category value at import.
        """
        CREATE TABLE grading (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          criteria TEXT NOT NULL,           -- JSON list, in the spec's order
          scale TEXT NOT NULL,              -- JSON list of the allowed grades, ascending
          category TEXT,                    -- the field grades are broken down by
          label_criterion TEXT NOT NULL     -- the criterion compared with the automatic label
        );
        CREATE TABLE grades (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          item_id TEXT NOT NULL,
          grader TEXT NOT NULL,
          criterion TEXT NOT NULL,
          grade INTEGER NOT NULL,
          category TEXT,
          PRIMARY KEY (run_id, item_id, grader, criterion)
        );
        """,
        // 4: the split each final split file holds (`train.jsonl` -> train), recorded by the write
        // stage instead of guessed from the file name. NULL for every other file, and for every
        // file recorded before this migration (readers guess from the name for those).
        """
        ALTER TABLE artifacts ADD COLUMN split TEXT;
        """,
        // 5: texts a model generated for prep (augment's paraphrases), kept across runs so that a
        // rerun generates nothing it already has and an interrupted run keeps what it made. `key`
        // digests the generator's identity (model file digest or server and model name), the prompt
        // as sent and the sampling settings; the rest is provenance.
        """
        CREATE TABLE generations (
          key TEXT PRIMARY KEY,
          generator TEXT NOT NULL,          -- llama:<model sha256> | openai:<url> <model>
          prompt TEXT NOT NULL,
          sampling TEXT NOT NULL,           -- t=0.8 k=40 seed=7, max_tokens, stop
          output TEXT NOT NULL,             -- the raw text, before any cleaning
          seconds REAL NOT NULL,
          created_at TEXT NOT NULL,
          run_id INTEGER                    -- the run that generated it (not a reference: runs may be deleted)
        );
        """,
    ]
}

/**
 * Append-only schema migrations; `PRAGMA user_version` records how many have run. Never edit a
 * migration that has shipped: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE mistake_patterns (
    id TEXT PRIMARY KEY,
    vector_id TEXT NOT NULL UNIQUE,
    model_name TEXT NOT NULL,
    error_signature TEXT NOT NULL,
    error_type TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('syntax','async','type','import','security','test','dependency','style','other')),
    severity TEXT NOT NULL CHECK (severity IN ('critical','major','minor')),
    source TEXT NOT NULL CHECK (source IN ('test','security','graph','correction','manual')),
    description TEXT NOT NULL,
    bad_example TEXT,
    good_example TEXT,
    frequency INTEGER NOT NULL DEFAULT 1,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    fix_applied INTEGER NOT NULL DEFAULT 0,
    user_corrections INTEGER NOT NULL DEFAULT 0,
    test_failures INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    embedding BLOB NOT NULL,
    embedder_id TEXT NOT NULL,
    vector_synced INTEGER NOT NULL DEFAULT 0,
    UNIQUE (model_name, error_signature)
  );
  CREATE INDEX idx_patterns_model_category ON mistake_patterns (model_name, category);
  CREATE INDEX idx_patterns_frequency ON mistake_patterns (frequency);
  CREATE INDEX idx_patterns_last_seen ON mistake_patterns (last_seen);
  CREATE INDEX idx_patterns_unsynced ON mistake_patterns (vector_synced) WHERE vector_synced = 0;

  CREATE TABLE mistake_occurrences (
    id INTEGER PRIMARY KEY,
    pattern_id TEXT NOT NULL REFERENCES mistake_patterns (id) ON DELETE CASCADE,
    project_path TEXT NOT NULL,
    file_path TEXT,
    generated_code TEXT,
    error_message TEXT,
    timestamp INTEGER NOT NULL
  );
  CREATE INDEX idx_occurrences_pattern ON mistake_occurrences (pattern_id);

  CREATE TABLE successful_fixes (
    id INTEGER PRIMARY KEY,
    pattern_id TEXT NOT NULL REFERENCES mistake_patterns (id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    fixed_code TEXT NOT NULL,
    embedding BLOB NOT NULL,
    embedder_id TEXT NOT NULL,
    vector_synced INTEGER NOT NULL DEFAULT 0,
    timestamp INTEGER NOT NULL
  );
  CREATE INDEX idx_fixes_pattern ON successful_fixes (pattern_id);

  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
];

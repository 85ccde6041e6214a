-- The seed's trajectory tables, column for column, with the original defects
-- fixed (see docs: facts.md section 1):
-- * the search text is gathered with json_tree, not the invalid path
--   `$.steps[*].message`, so ATIF documents insert and testgen rows are indexed;
-- * the FTS table is a plain one, so its triggers use plain DELETE, not the
--   FTS5 'delete' command that only external-content tables accept;
-- * ON DELETE CASCADE is real: the store turns PRAGMA foreign_keys on.
-- 005 reshapes these tables for the store's identity rules and 006 replaces
-- this index with the store's own.

CREATE TABLE trajectories (
  session_id TEXT PRIMARY KEY,
  schema_version TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  agent_version TEXT,
  model_name TEXT,
  step_count INTEGER NOT NULL DEFAULT 0,
  first_step_at TEXT,
  last_step_at TEXT,
  total_cost_usd REAL DEFAULT 0,
  total_tokens INTEGER DEFAULT 0,
  trajectory JSON NOT NULL,
  embedding BLOB,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  indexed_at TEXT
);
CREATE INDEX idx_trajectories_agent ON trajectories(agent_name);
CREATE INDEX idx_trajectories_model ON trajectories(model_name);
CREATE INDEX idx_trajectories_created ON trajectories(created_at);
CREATE INDEX idx_trajectories_cost ON trajectories(total_cost_usd);

CREATE TABLE testgen_trajectories (
  session_id TEXT PRIMARY KEY REFERENCES trajectories(session_id) ON DELETE CASCADE,
  task_id TEXT NOT NULL,
  task_description TEXT NOT NULL,
  total_tests INTEGER NOT NULL,
  total_rounds INTEGER NOT NULL,
  category_rounds JSON,
  comprehensiveness_score REAL,
  total_tokens_used INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  tests JSON NOT NULL,
  reflections JSON,
  environment JSON,
  uncertainties JSON,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX idx_testgen_task ON testgen_trajectories(task_id);
CREATE INDEX idx_testgen_score ON testgen_trajectories(comprehensiveness_score);

CREATE VIRTUAL TABLE trajectories_fts USING fts5(session_id UNINDEXED, agent_name, content);

CREATE TRIGGER trajectories_fts_insert AFTER INSERT ON trajectories BEGIN
  INSERT INTO trajectories_fts(session_id, agent_name, content)
  VALUES (NEW.session_id, NEW.agent_name,
          (SELECT group_concat(value, ' ') FROM json_tree(NEW.trajectory) WHERE type = 'text'));
END;
CREATE TRIGGER trajectories_fts_delete AFTER DELETE ON trajectories BEGIN
  DELETE FROM trajectories_fts WHERE session_id = OLD.session_id;
END;
CREATE TRIGGER trajectories_fts_update AFTER UPDATE ON trajectories BEGIN
  DELETE FROM trajectories_fts WHERE session_id = OLD.session_id;
  INSERT INTO trajectories_fts(session_id, agent_name, content)
  VALUES (NEW.session_id, NEW.agent_name,
          (SELECT group_concat(value, ' ') FROM json_tree(NEW.trajectory) WHERE type = 'text'));
END;

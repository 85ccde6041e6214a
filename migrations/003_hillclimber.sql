-- The original desktop tool's optimiser loop: configurations tried per task,
-- their runs, and the best configuration found so far.

CREATE TABLE hillclimber_configs (
  id INTEGER PRIMARY KEY,
  task_id TEXT NOT NULL,
  hint TEXT,
  use_skills INTEGER NOT NULL DEFAULT 0,
  max_turns_override INTEGER,
  config_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX hillclimber_configs_task ON hillclimber_configs(task_id);

CREATE TABLE hillclimber_runs (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL UNIQUE,
  task_id TEXT NOT NULL,
  config_id INTEGER NOT NULL REFERENCES hillclimber_configs(id) ON DELETE CASCADE,
  passed INTEGER NOT NULL,
  turns INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  step_summary JSON,
  error_message TEXT,
  meta_model TEXT,
  proposed_change TEXT,
  change_accepted INTEGER NOT NULL DEFAULT 0,
  score INTEGER NOT NULL,
  is_best INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX hillclimber_runs_task ON hillclimber_runs(task_id, created_at);
CREATE INDEX hillclimber_runs_config ON hillclimber_runs(config_id);

CREATE TABLE hillclimber_best_configs (
  task_id TEXT PRIMARY KEY,
  config_id INTEGER NOT NULL REFERENCES hillclimber_configs(id) ON DELETE CASCADE,
  run_id INTEGER NOT NULL REFERENCES hillclimber_runs(id) ON DELETE CASCADE,
  score INTEGER NOT NULL,
  pass_count INTEGER NOT NULL DEFAULT 0,
  total_runs INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX hillclimber_best_configs_config ON hillclimber_best_configs(config_id);
CREATE INDEX hillclimber_best_configs_run ON hillclimber_best_configs(run_id);

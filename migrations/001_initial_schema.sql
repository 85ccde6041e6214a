-- Tasks of the original desktop tool, carried so that its databases open here
-- unchanged. `_schema_version` is created by the migration runner, never here:
-- the original 001 created it too, which broke fresh databases.

CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open',
  priority INTEGER NOT NULL DEFAULT 2,
  type TEXT NOT NULL DEFAULT 'task',
  assignee TEXT,
  labels JSON,
  commits JSON,
  source JSON,
  design TEXT,
  acceptance_criteria TEXT,
  notes TEXT,
  estimated_minutes REAL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  closed_at TEXT,
  close_reason TEXT
);
CREATE INDEX tasks_status ON tasks(status, priority);

CREATE TABLE task_dependencies (
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  depends_on_task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  dependency_type TEXT NOT NULL DEFAULT 'blocks',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (task_id, depends_on_task_id)
);
CREATE INDEX task_dependencies_target ON task_dependencies(depends_on_task_id);

CREATE TABLE task_deletions (
  task_id TEXT PRIMARY KEY,
  deleted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  deleted_by TEXT,
  reason TEXT
);

-- External-content FTS5: it reads text from `tasks`, so the FTS5 'delete'
-- command in the triggers below is valid here (it is not on a plain table).
CREATE VIRTUAL TABLE tasks_fts USING fts5(
  title, description, content='tasks', content_rowid='rowid'
);
CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
  INSERT INTO tasks_fts(rowid, title, description) VALUES (NEW.rowid, NEW.title, NEW.description);
END;
CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
  INSERT INTO tasks_fts(tasks_fts, rowid, title, description) VALUES ('delete', OLD.rowid, OLD.title, OLD.description);
END;
CREATE TRIGGER tasks_fts_update AFTER UPDATE OF title, description ON tasks BEGIN
  INSERT INTO tasks_fts(tasks_fts, rowid, title, description) VALUES ('delete', OLD.rowid, OLD.title, OLD.description);
  INSERT INTO tasks_fts(rowid, title, description) VALUES (NEW.rowid, NEW.title, NEW.description);
END;

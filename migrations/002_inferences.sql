-- One row per LLM call, as the original desktop tool recorded them.

CREATE TABLE inferences (
  id INTEGER PRIMARY KEY,
  model TEXT NOT NULL,
  request_id TEXT,
  request_messages JSON NOT NULL,
  request_options JSON,
  response_data JSON,
  response_id TEXT,
  response_model TEXT,
  response_content TEXT,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  total_tokens INTEGER,
  cost_usd REAL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX inferences_model ON inferences(model, created_at);
CREATE INDEX inferences_created ON inferences(created_at);

CREATE VIRTUAL TABLE inferences_fts USING fts5(
  response_content, content='inferences', content_rowid='id'
);
CREATE TRIGGER inferences_fts_insert AFTER INSERT ON inferences BEGIN
  INSERT INTO inferences_fts(rowid, response_content) VALUES (NEW.id, NEW.response_content);
END;
CREATE TRIGGER inferences_fts_delete AFTER DELETE ON inferences BEGIN
  INSERT INTO inferences_fts(inferences_fts, rowid, response_content) VALUES ('delete', OLD.id, OLD.response_content);
END;
CREATE TRIGGER inferences_fts_update AFTER UPDATE OF response_content ON inferences BEGIN
  INSERT INTO inferences_fts(inferences_fts, rowid, response_content) VALUES ('delete', OLD.id, OLD.response_content);
  INSERT INTO inferences_fts(rowid, response_content) VALUES (NEW.id, NEW.response_content);
END;

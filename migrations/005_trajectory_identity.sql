-- The store's identity rules (design.md): a stored trajectory is keyed by `id`
-- (its ATIF trajectory_id, else its session_id), and several trajectories may
-- share a session_id. The seed keyed rows by session_id, so both tables are
-- rebuilt (SQLite cannot change a primary key in place). The runner applies
-- this with foreign keys off and checks them before it commits.
--
-- The documents (the seed's `trajectory` and `embedding` columns) move to
-- their own table, trajectory_documents, one row per trajectory. Lists,
-- filters, sorting and stats read only the small summary rows then: on OPFS,
-- where every page read costs, a scan of 100,000 summaries reads a few MB
-- instead of every document (measured: stats and searches at 100,000 went
-- from over 10 s to well under one). Tools outside read a document with
--   SELECT d.trajectory FROM trajectories t JOIN trajectory_documents d USING (seq)
--
-- Rows of a database made by the original desktop tool are carried over:
-- timestamps become ISO 8601 UTC, and a testgen row orphaned by that tool's
-- non-atomic save gets its testgen_trajectories row back from its document.
-- Dropping the old tables drops their triggers, whatever their names, and with
-- them the original defective search triggers; its index goes too (006 builds
-- the store's own).

CREATE TABLE trajectories_next (
  seq INTEGER PRIMARY KEY,              -- stable row number: search index key and ordering tie-break
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('atif', 'testgen')),
  session_id TEXT,                      -- optional since ATIF-v1.7
  schema_version TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  agent_version TEXT,
  model_name TEXT,
  step_count INTEGER NOT NULL DEFAULT 0,
  first_step_at TEXT,
  last_step_at TEXT,
  total_cost_usd REAL,                  -- NULL: not reported
  total_tokens INTEGER,                 -- NULL: not reported
  -- testgen rows: testgen_trajectories' score, here too so that sorting and
  -- stats by score need no join (written by the store with it, in one transaction)
  comprehensiveness_score REAL,
  created_at TEXT NOT NULL,             -- first saved, ISO 8601 UTC
  updated_at TEXT NOT NULL,             -- last saved (a recorder re-saves growing sessions)
  indexed_at TEXT
);

CREATE TABLE trajectory_documents (
  seq INTEGER PRIMARY KEY REFERENCES trajectories(seq) ON DELETE CASCADE,
  trajectory JSON NOT NULL,             -- the document exactly as it was saved
  embedding BLOB
);

INSERT INTO trajectories_next (
  id, kind, session_id, schema_version, agent_name, agent_version, model_name, step_count,
  first_step_at, last_step_at, total_cost_usd, total_tokens, created_at, updated_at, indexed_at)
SELECT
  coalesce(CASE WHEN json_valid(t.trajectory) THEN json_extract(t.trajectory, '$.trajectory_id') END, t.session_id),
  CASE WHEN g.session_id IS NOT NULL OR (t.schema_version LIKE 'testgen%' AND json_valid(t.trajectory))
       THEN 'testgen' ELSE 'atif' END,
  t.session_id, t.schema_version, t.agent_name, t.agent_version, t.model_name, t.step_count,
  t.first_step_at, t.last_step_at, t.total_cost_usd, t.total_tokens,
  coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', t.created_at), t.created_at),
  coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', t.created_at), t.created_at),
  t.indexed_at
FROM trajectories t LEFT JOIN testgen_trajectories g ON g.session_id = t.session_id
ORDER BY t.created_at, t.rowid;

-- The seed keyed rows by session_id: it names each old row's new one.
INSERT INTO trajectory_documents (seq, trajectory, embedding)
SELECT n.seq, t.trajectory, t.embedding FROM trajectories_next n JOIN trajectories t ON t.session_id = n.session_id;

CREATE TABLE testgen_trajectories_next (
  id TEXT PRIMARY KEY REFERENCES trajectories(id) ON DELETE CASCADE ON UPDATE CASCADE,
  session_id TEXT NOT NULL,
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
  status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'failed', 'incomplete')),
  error TEXT,
  created_at TEXT NOT NULL
);

INSERT INTO testgen_trajectories_next (
  id, session_id, task_id, task_description, total_tests, total_rounds, category_rounds,
  comprehensiveness_score, total_tokens_used, duration_ms, tests, reflections, environment,
  uncertainties, created_at)
SELECT
  n.id, g.session_id, g.task_id, g.task_description, g.total_tests, g.total_rounds, g.category_rounds,
  g.comprehensiveness_score, g.total_tokens_used, g.duration_ms, g.tests, g.reflections, g.environment,
  g.uncertainties, coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', g.created_at), g.created_at)
FROM testgen_trajectories g JOIN trajectories_next n ON n.session_id = g.session_id AND n.kind = 'testgen';

-- Orphans of the original tool: the document holds every testgen field (snake_case).
INSERT INTO testgen_trajectories_next (
  id, session_id, task_id, task_description, total_tests, total_rounds, category_rounds,
  comprehensiveness_score, total_tokens_used, duration_ms, tests, reflections, environment,
  uncertainties, created_at)
SELECT
  n.id, n.session_id,
  coalesce(json_extract(d.trajectory, '$.task_id'), ''),
  coalesce(json_extract(d.trajectory, '$.task_description'), ''),
  coalesce(json_extract(d.trajectory, '$.total_tests'), json_array_length(d.trajectory, '$.tests'), 0),
  coalesce(json_extract(d.trajectory, '$.total_rounds'), 0),
  json_extract(d.trajectory, '$.category_rounds'),
  json_extract(d.trajectory, '$.comprehensiveness_score'),
  coalesce(json_extract(d.trajectory, '$.total_tokens_used'), 0),
  coalesce(json_extract(d.trajectory, '$.duration_ms'), 0),
  coalesce(json_extract(d.trajectory, '$.tests'), '[]'),
  json_extract(d.trajectory, '$.reflections'),
  json_extract(d.trajectory, '$.environment'),
  json_extract(d.trajectory, '$.uncertainties'),
  n.created_at
FROM trajectories_next n JOIN trajectory_documents d ON d.seq = n.seq
WHERE n.kind = 'testgen' AND n.id NOT IN (SELECT id FROM testgen_trajectories_next);

UPDATE trajectories_next SET comprehensiveness_score =
  (SELECT g.comprehensiveness_score FROM testgen_trajectories_next g WHERE g.id = trajectories_next.id)
WHERE kind = 'testgen';

DROP TABLE IF EXISTS trajectories_fts;
DROP TABLE testgen_trajectories;
DROP TABLE trajectories;
ALTER TABLE trajectories_next RENAME TO trajectories;
ALTER TABLE testgen_trajectories_next RENAME TO testgen_trajectories;

CREATE INDEX trajectories_session ON trajectories(session_id);
CREATE INDEX trajectories_created ON trajectories(created_at, seq);
CREATE INDEX trajectories_updated ON trajectories(updated_at, seq);
CREATE INDEX trajectories_agent ON trajectories(agent_name, created_at, seq);
CREATE INDEX trajectories_model ON trajectories(model_name, created_at, seq);
-- Every orderBy of listTrajectories pages from an index (the expressions are
-- those of src/store/list.ts, which must match them exactly to be used).
CREATE INDEX trajectories_first_step ON trajectories(coalesce(first_step_at, ''), seq);
CREATE INDEX trajectories_last_step ON trajectories(coalesce(last_step_at, ''), seq);
CREATE INDEX trajectories_steps ON trajectories(step_count, seq);
CREATE INDEX trajectories_tokens ON trajectories(coalesce(total_tokens, -1), seq);
CREATE INDEX trajectories_cost ON trajectories(coalesce(total_cost_usd, -1), seq);
CREATE INDEX trajectories_score ON trajectories(coalesce(comprehensiveness_score, -1), seq);
CREATE INDEX testgen_trajectories_task ON testgen_trajectories(task_id);
-- Covers what a summary reads of a testgen row, so that lists never read its tests.
CREATE INDEX testgen_trajectories_summary ON testgen_trajectories(id, task_id, total_tests, status);

-- 'TRJS': lets a snapshot say which application wrote it.
PRAGMA application_id = 1414679123;

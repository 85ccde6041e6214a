-- One status for every stored trajectory, on its summary row, so that lists
-- filter and show it without reading documents (src/schema/status.ts):
--   running     a recorder is still receiving it (its checkpoints say so)
--   complete    it finished (and any document that says nothing)
--   failed      it ended in an error
--   incomplete  its feed stopped before it finished
-- It was on testgen rows only (testgen_trajectories.status, which could not
-- say `running`); ATIF runs kept theirs in the document's `extra.status`.
-- Both are carried over here, and testgen_trajectories' column goes: the
-- summary row is now the one place that says it.

ALTER TABLE trajectories ADD COLUMN status TEXT NOT NULL DEFAULT 'complete'
  CHECK (status IN ('running', 'complete', 'failed', 'incomplete'));

UPDATE trajectories SET status = coalesce(
  (SELECT g.status FROM testgen_trajectories g WHERE g.id = trajectories.id), 'complete')
WHERE kind = 'testgen';

UPDATE trajectories SET status = (
  SELECT json_extract(d.trajectory, '$.extra.status') FROM trajectory_documents d WHERE d.seq = trajectories.seq)
WHERE kind = 'atif' AND (
  SELECT CASE WHEN json_valid(d.trajectory) THEN json_extract(d.trajectory, '$.extra.status') END
  FROM trajectory_documents d WHERE d.seq = trajectories.seq) IN ('running', 'complete', 'failed', 'incomplete');

DROP INDEX testgen_trajectories_summary;
ALTER TABLE testgen_trajectories DROP COLUMN status;
-- Covers what a summary reads of a testgen row, so that lists never read its tests.
CREATE INDEX testgen_trajectories_summary ON testgen_trajectories(id, task_id, total_tests);
CREATE INDEX trajectories_status ON trajectories(status, created_at, seq);

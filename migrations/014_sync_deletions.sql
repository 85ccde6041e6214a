-- Deletions for store.sync() (src/store/sync.ts, src/client/sync.ts): a trajectory deleted
-- with deleteTrajectory leaves a tombstone here, numbered from the same sequence as
-- trajectory_changes (013), so that a push sends saves and deletions in the order they
-- happened and the same watermark covers both. The team server deletes its copy unless
-- it holds a version saved after the deletion (newer wins, as for saves).
--
-- Only explicit deletions leave one (not a snapshot import's replace), and only while
-- some team server is a sync target; a tombstone every target has pushed is dropped.
-- Saving a trajectory under the id again takes its tombstone away: the save is sent.

CREATE TABLE trajectory_tombstones (
  id TEXT PRIMARY KEY,                 -- the deleted trajectory's stored id (a keep-both copy's x~2 too)
  change INTEGER NOT NULL UNIQUE,      -- taken from trajectory_changes' AUTOINCREMENT sequence
  deleted_at TEXT NOT NULL             -- ISO 8601 UTC, compared with the server's updatedAt
) WITHOUT ROWID;

CREATE TRIGGER trajectory_tombstones_saved_again AFTER INSERT ON trajectories BEGIN
  DELETE FROM trajectory_tombstones WHERE id = NEW.id;
END;

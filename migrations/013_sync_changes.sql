-- What store.sync() has pushed to which team server (src/client/sync.ts).
--
-- Every write of a trajectory gives its row a new change number, larger than
-- any given before (AUTOINCREMENT: a number is never handed out twice, not
-- even after the row that held the largest one is deleted). A push sends the
-- rows whose change number is above the server's watermark, in change order,
-- and moves the watermark to the last one the server committed. A row
-- written again while a push is under way gets a number above everything
-- that push read, so the next push sends it again: nothing is skipped, and a
-- row sent and committed is not sent again unless it changes.
--
-- Change numbers are not times: clocks go back, and two saves share a
-- millisecond. One row per trajectory (the latest change); a deleted
-- trajectory's row goes with it (the team server keeps what it was sent).

CREATE TABLE trajectory_changes (
  change INTEGER PRIMARY KEY AUTOINCREMENT,
  seq INTEGER NOT NULL UNIQUE REFERENCES trajectories(seq) ON DELETE CASCADE
);

-- Every row there is now is a change no server has seen.
INSERT INTO trajectory_changes (seq) SELECT seq FROM trajectories ORDER BY seq;

CREATE TRIGGER trajectory_changes_insert AFTER INSERT ON trajectories BEGIN
  INSERT INTO trajectory_changes (seq) VALUES (NEW.seq);
END;

-- A save writes updated_at (writes.ts); the old change number goes, a new one comes.
CREATE TRIGGER trajectory_changes_update AFTER UPDATE OF updated_at ON trajectories BEGIN
  DELETE FROM trajectory_changes WHERE seq = NEW.seq;
  INSERT INTO trajectory_changes (seq) VALUES (NEW.seq);
END;

-- One row per team server and member: how far the pushes got, and how the last attempt ended.
CREATE TABLE sync_targets (
  server TEXT NOT NULL,                 -- the server's URL, normalised (src/client/team-client.ts)
  member TEXT NOT NULL,                 -- whose token pushed (the server's /v1/me)
  pushed_through INTEGER NOT NULL DEFAULT 0, -- every change up to this one is on the server
  pushed_at TEXT,                       -- when the last batch was committed there, ISO 8601 UTC
  last_error TEXT,                      -- why the last attempt failed, NULL once one succeeds
  last_error_code TEXT,
  last_error_at TEXT,
  PRIMARY KEY (server, member)
) WITHOUT ROWID;

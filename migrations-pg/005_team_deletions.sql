-- Tombstones of the trajectories members deleted (POST /v1/deletions), so that a deleted trajectory does not come
-- back: a copy of it pushed again later (by the member's other browser, or from an old backup) whose updatedAt is
-- not after the deletion is answered `stale`, as an older version is. A version saved after the deletion is
-- newer, and wins as any newer version does. One row per (member, id): the latest deletion.
--
-- deleted_at is normalized ISO 8601 UTC text, compared as text (COLLATE "C"), as team_trajectories.updated_at is.

CREATE TABLE team_deletions (
  member text NOT NULL,
  id text NOT NULL,
  deleted_at text NOT NULL,
  PRIMARY KEY (member, id)
);

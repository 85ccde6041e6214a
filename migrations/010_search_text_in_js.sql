-- The search index is fed by the store's own code from now on: it extracts a
-- document's text once, in JS, when the document is saved, by place in the ATIF
-- structure (src/store/search-text.ts), and writes trajectory_search and
-- trajectory_search_unsegmented itself (src/store/search-index.ts).
--
-- 006 extracted the text in SQL, through a view over json_tree with GLOBs over
-- the raw JSON, in triggers on every save. That cost 39% of a bulk save, left
-- values out by key name at any depth (a tool argument named `source` was not
-- searchable), and lost every word of a document nested deeper than SQLite's
-- JSON depth limit of 1,000, its top-level message included.
--
-- Every row is marked for indexing (indexed_at NULL): the store re-indexes such
-- rows in JS when it opens the database (src/store/search-index.ts, indexPending).
-- The delete trigger stays: it only removes a deleted document's entries.
DROP TRIGGER IF EXISTS trajectory_search_insert;
DROP TRIGGER IF EXISTS trajectory_search_update;
DROP VIEW IF EXISTS trajectory_search_text;
DELETE FROM trajectory_search;
DELETE FROM trajectory_search_unsegmented;
UPDATE trajectories SET indexed_at = NULL;

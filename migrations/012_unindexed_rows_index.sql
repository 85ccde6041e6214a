-- The store looks for rows not in the search index yet (indexed_at NULL: every
-- row after 010, or rows another path copied in) each time it opens a database
-- (src/store/search-index.ts, indexPending). Without an index that is a scan of
-- every summary row: at 100,000 trajectories on OPFS, thousands of pages read
-- before the first list page can be shown. This partial index holds only those
-- rows, so it is empty nearly always, and saves (which write indexed_at) never
-- touch it.
CREATE INDEX trajectories_unindexed ON trajectories(seq) WHERE indexed_at IS NULL;

-- FTS5 merges the segments of the search index a step at a time, as soon as a
-- level holds two. A save writes its words as a new segment on level 0; FTS5's
-- automerge merges a level's segments into one on the next level, a bounded step
-- at a time (64 leaf pages times the number of levels, after every 64 pages
-- written), once the level holds `automerge` segments (4 by default); a level
-- that reaches 16 segments first is merged whole, at once, by the write that
-- filled it. Since a batch (insertMany) writes its text at its transaction's end,
-- its words are a few large segments on those low levels, and single saves, one
-- small segment each, filled such a level up to 16 before automerge took it:
-- after a bulk, every few hundred single saves one of them merged a batch's
-- large segments whole (900-1,900 pages, 30-80 ms of CPU in Node; BENCHMARKS.md,
-- "the single save's tail after a bulk (session 8, tail)"). With 2, automerge
-- takes a batch's segments in bounded steps, during the batch's own writes and
-- the saves after it, before a level fills up. The setting lives in each table's
-- config (trajectory_search_config): a replace import, which declares the tables
-- again, carries it over (src/store/search-index.ts, keepSearchSettings).
INSERT INTO trajectory_search (trajectory_search, rank) VALUES ('automerge', 2);
INSERT INTO trajectory_search_unsegmented (trajectory_search_unsegmented, rank) VALUES ('automerge', 2);

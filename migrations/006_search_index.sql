-- Full-text search over every text value of a stored document: step messages
-- (strings, content parts or arbitrary objects), reasoning, tool names and
-- arguments, observations, and for testgen rows the task, tests, reflections
-- and uncertainties. Values that only identify or date things are left out.
--
-- The text is extracted in one place, the view below, and kept in two FTS5
-- tables (their own copy of the text: FTS5 cannot read content through a view
-- that uses json_tree, and a copy makes deletes cheap):
-- * trajectory_search: words (unicode61, accents folded: "cafe" finds "café");
-- * trajectory_search_unsegmented: trigrams over the values written in scripts
--   that put no spaces between words (Chinese, Japanese, Korean, Thai, Lao,
--   Khmer, Myanmar), so that a word inside a longer run of such text is found.
--   The character ranges are repeated in src/store/search-query.ts.
-- Only built-in SQL is used, so a snapshot's index keeps working in any SQLite.

CREATE VIEW trajectory_search_text AS
SELECT
  t.seq AS seq,
  (SELECT group_concat(value, char(10))
     FROM json_tree(CASE WHEN json_valid(t.trajectory) THEN t.trajectory ELSE '{}' END)
    WHERE type = 'text'
      AND key NOT IN ('timestamp', 'source', 'tool_call_id', 'source_call_id', 'media_type', 'schema_version')
  ) AS body,
  -- A look at the raw JSON first skips the second walk for most documents
  -- (such text is there as itself, or \u-escaped by some writers).
  CASE WHEN t.trajectory GLOB '*[฀-໿က-႟ក-៿⺀-鿿가-힯豈-﫿ｦ-ﾟ𠀀-𯿿]*' OR instr(t.trajectory, '\u') > 0 THEN
    (SELECT group_concat(value, char(10))
       FROM json_tree(CASE WHEN json_valid(t.trajectory) THEN t.trajectory ELSE '{}' END)
      WHERE type = 'text'
        AND value GLOB '*[฀-໿က-႟ក-៿⺀-鿿가-힯豈-﫿ｦ-ﾟ𠀀-𯿿]*')
  END AS unsegmented
FROM trajectory_documents t;

CREATE VIRTUAL TABLE trajectory_search USING fts5(body, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE trajectory_search_unsegmented USING fts5(unsegmented, tokenize='trigram');

CREATE TRIGGER trajectory_search_insert AFTER INSERT ON trajectory_documents BEGIN
  INSERT INTO trajectory_search(rowid, body)
    SELECT seq, body FROM trajectory_search_text WHERE seq = NEW.seq;
  INSERT INTO trajectory_search_unsegmented(rowid, unsegmented)
    SELECT seq, unsegmented FROM trajectory_search_text WHERE seq = NEW.seq AND unsegmented IS NOT NULL;
END;

CREATE TRIGGER trajectory_search_delete AFTER DELETE ON trajectory_documents BEGIN
  DELETE FROM trajectory_search WHERE rowid = OLD.seq;
  DELETE FROM trajectory_search_unsegmented WHERE rowid = OLD.seq;
END;

CREATE TRIGGER trajectory_search_update AFTER UPDATE OF trajectory ON trajectory_documents BEGIN
  DELETE FROM trajectory_search WHERE rowid = OLD.seq;
  DELETE FROM trajectory_search_unsegmented WHERE rowid = OLD.seq;
  INSERT INTO trajectory_search(rowid, body)
    SELECT seq, body FROM trajectory_search_text WHERE seq = NEW.seq;
  INSERT INTO trajectory_search_unsegmented(rowid, unsegmented)
    SELECT seq, unsegmented FROM trajectory_search_text WHERE seq = NEW.seq AND unsegmented IS NOT NULL;
END;

INSERT INTO trajectory_search(rowid, body) SELECT seq, body FROM trajectory_search_text;
INSERT INTO trajectory_search_unsegmented(rowid, unsegmented)
  SELECT seq, unsegmented FROM trajectory_search_text WHERE unsegmented IS NOT NULL;

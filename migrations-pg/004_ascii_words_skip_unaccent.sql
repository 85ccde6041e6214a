-- Words written in ASCII alone have no accent to fold: they skip `unaccent` and go straight to `simple`.
-- The lexemes are the same (unaccent has no rule for an ASCII character, so it passed them on unchanged:
-- test/server/team-ingest.test.ts checks every ASCII character), and stored tsvectors stay valid; building a
-- document's tsvector, the largest cost of ingest, measured 23% cheaper (SCALING.md).
ALTER TEXT SEARCH CONFIGURATION trajectory_text
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH simple;

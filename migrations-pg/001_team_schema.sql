-- The team server's schema (src/server/), in PostgreSQL 15+. Applied by src/server/migrations.ts, in order,
-- each file once, recorded with its checksum in team_schema_version; never edited once released.
--
-- One row per (member, id): each member's local store decides its own ids (its identity rule has already
-- placed every document), so members never collide, and a member's token can only ever write rows under
-- its own member name (src/server/ingest.ts). The summary columns carry the same names and meanings as
-- the local SQLite store's, so the local store's filter, ordering and cursor SQL (src/store/filters.ts,
-- list.ts, cursor.ts) runs here unchanged.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Words as the local store's FTS5 index reads them: split at spaces and punctuation, case and accents
-- folded ("cafe" finds "café"), no stemming, no stop words.
CREATE TEXT SEARCH CONFIGURATION trajectory_text (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION trajectory_text
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;

-- Access tokens: only their SHA-256 is kept (src/server/tokens.ts says why not a password hash).
CREATE TABLE team_tokens (
  id bigserial PRIMARY KEY,
  member text NOT NULL CHECK (member <> ''),
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX team_tokens_member ON team_tokens (member);

CREATE TABLE team_trajectories (
  seq bigserial PRIMARY KEY,
  member text NOT NULL,
  id text NOT NULL,
  kind text NOT NULL,
  session_id text,
  schema_version text NOT NULL,
  agent_name text NOT NULL,
  agent_version text,
  model_name text,
  step_count integer NOT NULL,
  -- ISO 8601 UTC text, as in the local store (normalized, so text order is time order).
  first_step_at text,
  last_step_at text,
  total_cost_usd double precision,
  total_tokens double precision,
  comprehensiveness_score double precision,
  status text NOT NULL,
  conformant smallint NOT NULL,
  created_at text NOT NULL,
  -- The member's local updatedAt: the newer-wins rule compares it (src/server/ingest.ts).
  updated_at text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- SHA-256 of `document`: tells an identical re-send from a different document with the same updatedAt.
  digest text NOT NULL,
  -- The document exactly as the member's store holds it (exact JSON text: not jsonb, which would
  -- normalise numbers and refuse lone surrogates).
  document text NOT NULL,
  -- The search text extracted in JS (src/store/search-text.ts), the words index over it, and the
  -- values written without spaces between words (Chinese, Japanese...) for the trigram index.
  search_text text NOT NULL,
  search tsvector NOT NULL,
  unsegmented text,
  CONSTRAINT team_trajectories_member_id UNIQUE (member, id)
);

CREATE TABLE team_testgen (
  seq bigint PRIMARY KEY REFERENCES team_trajectories (seq) ON DELETE CASCADE,
  task_id text NOT NULL,
  total_tests integer NOT NULL
);

CREATE INDEX team_trajectories_search ON team_trajectories USING gin (search);
CREATE INDEX team_trajectories_unsegmented ON team_trajectories USING gin (unsegmented gin_trgm_ops);
-- The orderings of src/store/list.ts (seq breaks ties, as the cursor does).
CREATE INDEX team_trajectories_created ON team_trajectories (created_at, seq);
CREATE INDEX team_trajectories_updated ON team_trajectories (updated_at, seq);
CREATE INDEX team_trajectories_first_step ON team_trajectories ((coalesce(first_step_at, '')), seq);
CREATE INDEX team_trajectories_last_step ON team_trajectories ((coalesce(last_step_at, '')), seq);
-- The common filters.
CREATE INDEX team_trajectories_id ON team_trajectories (id);
CREATE INDEX team_trajectories_session ON team_trajectories (session_id);
CREATE INDEX team_trajectories_agent ON team_trajectories (agent_name, created_at);
CREATE INDEX team_trajectories_model ON team_trajectories (model_name, created_at);
CREATE INDEX team_testgen_task ON team_testgen (task_id);

-- A per-day rollup of team_trajectories, kept with every write, so that /v1/stats reads one small row per
-- (member, day, agent, model) instead of every trajectory (at 20,000 the scan took 1.4 s p95: SCALING.md).
-- The local store keeps the same rollup in SQLite (migrations/008, 011); its day is the same expression:
-- the day a run started, else the day it was first saved.
--
-- Statement-level triggers read each statement's transition tables, so a batch of 500 lines adds its
-- rows in one grouped upsert, whatever writes them (ingest, a delete, a hand-run UPDATE). Counts and sums
-- follow every insert, update and delete exactly; the lowest and highest score of a cell are read again
-- from its rows only when a row that goes held one of them. A cell whose count drops to 0 goes.
--
-- Concurrent batches meet on the same cells (the same day, agent and model): each statement's rollup
-- writes run under one transaction-level advisory lock, so two transactions never take cell locks in
-- opposite orders (no deadlock); only this short tail of a batch waits, not its parsing and indexing.

CREATE TABLE team_stats_daily (
  member text NOT NULL,
  day text NOT NULL,
  agent_name text NOT NULL,
  model_name text,
  count bigint NOT NULL,
  steps bigint NOT NULL,
  tokens double precision NOT NULL,
  cost double precision NOT NULL,
  score_sum double precision NOT NULL,
  scored bigint NOT NULL,
  min_score double precision,
  max_score double precision,
  -- Rows whose tokens / cost are known: the sums are over these alone (an unknown sum is null, not 0).
  with_tokens bigint NOT NULL,
  with_cost bigint NOT NULL,
  CONSTRAINT team_stats_daily_cell UNIQUE NULLS NOT DISTINCT (member, day, agent_name, model_name)
);

-- A run's day: the day it started, else the day it was first saved (ISO 8601 UTC text, so its first 10 characters).
CREATE FUNCTION team_stats_day(first_step_at text, created_at text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN substr(coalesce(first_step_at, created_at), 1, 10);

-- The rows of one cell, for re-reading its lowest and highest score (only scored rows: testgen sessions).
CREATE INDEX team_trajectories_scored_cell ON team_trajectories
  (member, (team_stats_day(first_step_at, created_at)), agent_name, model_name)
  WHERE comprehensiveness_score IS NOT NULL;

-- Any number of our own: held by a transaction from its first rollup write to its commit.
CREATE FUNCTION team_stats_lock() RETURNS void LANGUAGE sql AS 'SELECT pg_advisory_xact_lock(7140015)';

CREATE FUNCTION team_stats_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM team_stats_lock();
  INSERT INTO team_stats_daily AS s
  SELECT member, team_stats_day(first_step_at, created_at), agent_name, model_name, count(*),
    sum(step_count), coalesce(sum(total_tokens), 0), coalesce(sum(total_cost_usd), 0),
    coalesce(sum(comprehensiveness_score), 0), count(comprehensiveness_score), min(comprehensiveness_score),
    max(comprehensiveness_score), count(total_tokens), count(total_cost_usd)
  FROM new_rows GROUP BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT team_stats_daily_cell DO UPDATE SET count = s.count + excluded.count,
    steps = s.steps + excluded.steps, tokens = s.tokens + excluded.tokens, cost = s.cost + excluded.cost,
    score_sum = s.score_sum + excluded.score_sum, scored = s.scored + excluded.scored,
    -- least and greatest skip nulls.
    min_score = least(s.min_score, excluded.min_score), max_score = greatest(s.max_score, excluded.max_score),
    with_tokens = s.with_tokens + excluded.with_tokens, with_cost = s.with_cost + excluded.with_cost;
  RETURN NULL;
END $$;

CREATE FUNCTION team_stats_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM team_stats_lock();
  UPDATE team_stats_daily s SET count = s.count - g.count, steps = s.steps - g.steps, tokens = s.tokens - g.tokens,
    cost = s.cost - g.cost, score_sum = s.score_sum - g.score_sum, scored = s.scored - g.scored,
    with_tokens = s.with_tokens - g.with_tokens, with_cost = s.with_cost - g.with_cost
  FROM (SELECT member, team_stats_day(first_step_at, created_at) AS day, agent_name, model_name, count(*) AS count,
          sum(step_count) AS steps, coalesce(sum(total_tokens), 0) AS tokens, coalesce(sum(total_cost_usd), 0) AS cost,
          coalesce(sum(comprehensiveness_score), 0) AS score_sum, count(comprehensiveness_score) AS scored,
          count(total_tokens) AS with_tokens, count(total_cost_usd) AS with_cost
        FROM old_rows GROUP BY 1, 2, 3, 4) g
  WHERE s.member = g.member AND s.day = g.day AND s.agent_name = g.agent_name
    AND s.model_name IS NOT DISTINCT FROM g.model_name;
  -- A score that went was its cell's lowest or highest: read the cell's rows again (as they are now).
  UPDATE team_stats_daily s SET (min_score, max_score) = (
      SELECT min(t.comprehensiveness_score), max(t.comprehensiveness_score) FROM team_trajectories t
      WHERE t.comprehensiveness_score IS NOT NULL AND t.member = s.member
        AND team_stats_day(t.first_step_at, t.created_at) = s.day AND t.agent_name = s.agent_name
        AND t.model_name IS NOT DISTINCT FROM s.model_name)
  FROM (SELECT member, team_stats_day(first_step_at, created_at) AS day, agent_name, model_name,
          min(comprehensiveness_score) AS min_score, max(comprehensiveness_score) AS max_score
        FROM old_rows WHERE comprehensiveness_score IS NOT NULL GROUP BY 1, 2, 3, 4) g
  WHERE s.member = g.member AND s.day = g.day AND s.agent_name = g.agent_name
    AND s.model_name IS NOT DISTINCT FROM g.model_name
    AND (g.min_score <= s.min_score OR g.max_score >= s.max_score);
  DELETE FROM team_stats_daily s
  USING (SELECT DISTINCT member, team_stats_day(first_step_at, created_at) AS day, agent_name, model_name
         FROM old_rows) g
  WHERE s.member = g.member AND s.day = g.day AND s.agent_name = g.agent_name
    AND s.model_name IS NOT DISTINCT FROM g.model_name AND s.count <= 0;
  RETURN NULL;
END $$;

CREATE TRIGGER team_stats_inserted AFTER INSERT ON team_trajectories
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION team_stats_add();
-- An update takes its rows out of their old cells, then puts them in their new ones (often the same).
CREATE TRIGGER team_stats_updated_1_out AFTER UPDATE ON team_trajectories
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION team_stats_remove();
CREATE TRIGGER team_stats_updated_2_in AFTER UPDATE ON team_trajectories
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION team_stats_add();
CREATE TRIGGER team_stats_deleted AFTER DELETE ON team_trajectories
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION team_stats_remove();

-- The rows a database already holds.
INSERT INTO team_stats_daily
SELECT member, team_stats_day(first_step_at, created_at), agent_name, model_name, count(*),
  sum(step_count), coalesce(sum(total_tokens), 0), coalesce(sum(total_cost_usd), 0),
  coalesce(sum(comprehensiveness_score), 0), count(comprehensiveness_score), min(comprehensiveness_score),
  max(comprehensiveness_score), count(total_tokens), count(total_cost_usd)
FROM team_trajectories GROUP BY 1, 2, 3, 4;

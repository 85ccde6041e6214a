-- A per-day rollup of the summary rows, kept with every write, so that getStats
-- reads a few hundred small rows instead of every trajectory (at 100,000 on
-- OPFS the scan took over a second after a reload).
--
-- One row per (day, agent, model): the day a run started, else the day it was
-- saved (the expression of src/store/stats.ts). `has_model` and `model` stand
-- for a nullable model name in the key (NULLs never conflict in a key).
-- Counts and sums follow each insert, update and delete exactly; the lowest
-- and highest score of a cell are read again from its rows only when the row
-- that goes held one of them. A cell whose count drops to 0 goes.
--
-- A database file from elsewhere (a snapshot) never brings its own rollup in:
-- whoever adopts such a file rebuilds it with the INSERT at the end of this file.

CREATE TABLE trajectory_stats_daily (
  day TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  has_model INTEGER NOT NULL,
  model TEXT NOT NULL,
  count INTEGER NOT NULL,
  steps INTEGER NOT NULL,
  tokens INTEGER NOT NULL,
  cost REAL NOT NULL,
  score_sum REAL NOT NULL,
  scored INTEGER NOT NULL,
  min_score REAL,
  max_score REAL,
  PRIMARY KEY (day, agent_name, has_model, model)
) WITHOUT ROWID;

CREATE TRIGGER trajectory_stats_insert AFTER INSERT ON trajectories BEGIN
  INSERT INTO trajectory_stats_daily
    VALUES (substr(coalesce(NEW.first_step_at, NEW.created_at), 1, 10), NEW.agent_name, NEW.model_name IS NOT NULL,
            coalesce(NEW.model_name, ''), 1, NEW.step_count, coalesce(NEW.total_tokens, 0),
            coalesce(NEW.total_cost_usd, 0), coalesce(NEW.comprehensiveness_score, 0),
            NEW.comprehensiveness_score IS NOT NULL, NEW.comprehensiveness_score, NEW.comprehensiveness_score)
  ON CONFLICT DO UPDATE SET count = count + 1, steps = steps + excluded.steps, tokens = tokens + excluded.tokens,
    cost = cost + excluded.cost, score_sum = score_sum + excluded.score_sum, scored = scored + excluded.scored,
    min_score = min(coalesce(min_score, excluded.min_score), coalesce(excluded.min_score, min_score)),
    max_score = max(coalesce(max_score, excluded.max_score), coalesce(excluded.max_score, max_score));
END;

CREATE TRIGGER trajectory_stats_delete AFTER DELETE ON trajectories BEGIN
  UPDATE trajectory_stats_daily SET count = count - 1, steps = steps - OLD.step_count,
    tokens = tokens - coalesce(OLD.total_tokens, 0), cost = cost - coalesce(OLD.total_cost_usd, 0),
    score_sum = score_sum - coalesce(OLD.comprehensiveness_score, 0),
    scored = scored - (OLD.comprehensiveness_score IS NOT NULL)
  WHERE day = substr(coalesce(OLD.first_step_at, OLD.created_at), 1, 10) AND agent_name = OLD.agent_name
    AND has_model = (OLD.model_name IS NOT NULL) AND model = coalesce(OLD.model_name, '');
  UPDATE trajectory_stats_daily SET (min_score, max_score) = (
      SELECT min(t.comprehensiveness_score), max(t.comprehensiveness_score) FROM trajectories t
       WHERE t.agent_name = OLD.agent_name AND t.model_name IS OLD.model_name
         AND substr(coalesce(t.first_step_at, t.created_at), 1, 10) = substr(coalesce(OLD.first_step_at, OLD.created_at), 1, 10))
  WHERE day = substr(coalesce(OLD.first_step_at, OLD.created_at), 1, 10) AND agent_name = OLD.agent_name
    AND has_model = (OLD.model_name IS NOT NULL) AND model = coalesce(OLD.model_name, '')
    AND (OLD.comprehensiveness_score <= min_score OR OLD.comprehensiveness_score >= max_score);
  DELETE FROM trajectory_stats_daily
  WHERE day = substr(coalesce(OLD.first_step_at, OLD.created_at), 1, 10) AND agent_name = OLD.agent_name
    AND has_model = (OLD.model_name IS NOT NULL) AND model = coalesce(OLD.model_name, '') AND count <= 0;
END;

-- An update moves the row out of its old cell and into its new one (the same cell, often).
CREATE TRIGGER trajectory_stats_update AFTER UPDATE OF first_step_at, created_at, agent_name, model_name, step_count,
  total_tokens, total_cost_usd, comprehensiveness_score ON trajectories BEGIN
  UPDATE trajectory_stats_daily SET count = count - 1, steps = steps - OLD.step_count,
    tokens = tokens - coalesce(OLD.total_tokens, 0), cost = cost - coalesce(OLD.total_cost_usd, 0),
    score_sum = score_sum - coalesce(OLD.comprehensiveness_score, 0),
    scored = scored - (OLD.comprehensiveness_score IS NOT NULL)
  WHERE day = substr(coalesce(OLD.first_step_at, OLD.created_at), 1, 10) AND agent_name = OLD.agent_name
    AND has_model = (OLD.model_name IS NOT NULL) AND model = coalesce(OLD.model_name, '');
  UPDATE trajectory_stats_daily SET (min_score, max_score) = (
      SELECT min(t.comprehensiveness_score), max(t.comprehensiveness_score) FROM trajectories t
       WHERE t.agent_name = OLD.agent_name AND t.model_name IS OLD.model_name
         AND substr(coalesce(t.first_step_at, t.created_at), 1, 10) = substr(coalesce(OLD.first_step_at, OLD.created_at), 1, 10))
  WHERE day = substr(coalesce(OLD.first_step_at, OLD.created_at), 1, 10) AND agent_name = OLD.agent_name
    AND has_model = (OLD.model_name IS NOT NULL) AND model = coalesce(OLD.model_name, '')
    AND (OLD.comprehensiveness_score <= min_score OR OLD.comprehensiveness_score >= max_score);
  DELETE FROM trajectory_stats_daily
  WHERE day = substr(coalesce(OLD.first_step_at, OLD.created_at), 1, 10) AND agent_name = OLD.agent_name
    AND has_model = (OLD.model_name IS NOT NULL) AND model = coalesce(OLD.model_name, '') AND count <= 0;
  INSERT INTO trajectory_stats_daily
    VALUES (substr(coalesce(NEW.first_step_at, NEW.created_at), 1, 10), NEW.agent_name, NEW.model_name IS NOT NULL,
            coalesce(NEW.model_name, ''), 1, NEW.step_count, coalesce(NEW.total_tokens, 0),
            coalesce(NEW.total_cost_usd, 0), coalesce(NEW.comprehensiveness_score, 0),
            NEW.comprehensiveness_score IS NOT NULL, NEW.comprehensiveness_score, NEW.comprehensiveness_score)
  ON CONFLICT DO UPDATE SET count = count + 1, steps = steps + excluded.steps, tokens = tokens + excluded.tokens,
    cost = cost + excluded.cost, score_sum = score_sum + excluded.score_sum, scored = scored + excluded.scored,
    min_score = min(coalesce(min_score, excluded.min_score), coalesce(excluded.min_score, min_score)),
    max_score = max(coalesce(max_score, excluded.max_score), coalesce(excluded.max_score, max_score));
END;

-- The rows a database already holds.
INSERT INTO trajectory_stats_daily
SELECT substr(coalesce(first_step_at, created_at), 1, 10), agent_name, model_name IS NOT NULL, coalesce(model_name, ''),
  count(*), total(step_count), total(total_tokens), total(total_cost_usd), total(comprehensiveness_score),
  count(comprehensiveness_score), min(comprehensiveness_score), max(comprehensiveness_score)
FROM trajectories GROUP BY 1, 2, 3, 4;

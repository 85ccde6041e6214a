-- Unknown tokens and cost stay unknown in getStats: the per-day rollup of 008
-- counts, per cell, the rows whose tokens (`with_tokens`) and cost (`with_cost`)
-- are known, so that a group none of whose rows has a figure reports null (not
-- 0), and one where only some have it can say that its sum is partial.
--
-- The triggers of 008 are replaced by the same ones keeping the two counts;
-- the rollup is built again from the rows. A testgen session that did not
-- complete and says 0 tokens (the seed's schema demands a number; recorders
-- write 0 until the end) reports none: its tokens become unknown, as saves now
-- record them (src/store/documents.ts).

ALTER TABLE trajectory_stats_daily ADD COLUMN with_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trajectory_stats_daily ADD COLUMN with_cost INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER trajectory_stats_insert;
DROP TRIGGER trajectory_stats_delete;
DROP TRIGGER trajectory_stats_update;

CREATE TRIGGER trajectory_stats_insert AFTER INSERT ON trajectories BEGIN
  INSERT INTO trajectory_stats_daily (day, agent_name, has_model, model, count, steps, tokens, cost, score_sum, scored,
      min_score, max_score, with_tokens, with_cost)
    VALUES (substr(coalesce(NEW.first_step_at, NEW.created_at), 1, 10), NEW.agent_name, NEW.model_name IS NOT NULL,
            coalesce(NEW.model_name, ''), 1, NEW.step_count, coalesce(NEW.total_tokens, 0),
            coalesce(NEW.total_cost_usd, 0), coalesce(NEW.comprehensiveness_score, 0),
            NEW.comprehensiveness_score IS NOT NULL, NEW.comprehensiveness_score, NEW.comprehensiveness_score,
            NEW.total_tokens IS NOT NULL, NEW.total_cost_usd IS NOT NULL)
  ON CONFLICT DO UPDATE SET count = count + 1, steps = steps + excluded.steps, tokens = tokens + excluded.tokens,
    cost = cost + excluded.cost, score_sum = score_sum + excluded.score_sum, scored = scored + excluded.scored,
    with_tokens = with_tokens + excluded.with_tokens, with_cost = with_cost + excluded.with_cost,
    min_score = min(coalesce(min_score, excluded.min_score), coalesce(excluded.min_score, min_score)),
    max_score = max(coalesce(max_score, excluded.max_score), coalesce(excluded.max_score, max_score));
END;

CREATE TRIGGER trajectory_stats_delete AFTER DELETE ON trajectories BEGIN
  UPDATE trajectory_stats_daily SET count = count - 1, steps = steps - OLD.step_count,
    tokens = tokens - coalesce(OLD.total_tokens, 0), cost = cost - coalesce(OLD.total_cost_usd, 0),
    score_sum = score_sum - coalesce(OLD.comprehensiveness_score, 0),
    scored = scored - (OLD.comprehensiveness_score IS NOT NULL),
    with_tokens = with_tokens - (OLD.total_tokens IS NOT NULL), with_cost = with_cost - (OLD.total_cost_usd IS NOT NULL)
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
    scored = scored - (OLD.comprehensiveness_score IS NOT NULL),
    with_tokens = with_tokens - (OLD.total_tokens IS NOT NULL), with_cost = with_cost - (OLD.total_cost_usd IS NOT NULL)
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
  INSERT INTO trajectory_stats_daily (day, agent_name, has_model, model, count, steps, tokens, cost, score_sum, scored,
      min_score, max_score, with_tokens, with_cost)
    VALUES (substr(coalesce(NEW.first_step_at, NEW.created_at), 1, 10), NEW.agent_name, NEW.model_name IS NOT NULL,
            coalesce(NEW.model_name, ''), 1, NEW.step_count, coalesce(NEW.total_tokens, 0),
            coalesce(NEW.total_cost_usd, 0), coalesce(NEW.comprehensiveness_score, 0),
            NEW.comprehensiveness_score IS NOT NULL, NEW.comprehensiveness_score, NEW.comprehensiveness_score,
            NEW.total_tokens IS NOT NULL, NEW.total_cost_usd IS NOT NULL)
  ON CONFLICT DO UPDATE SET count = count + 1, steps = steps + excluded.steps, tokens = tokens + excluded.tokens,
    cost = cost + excluded.cost, score_sum = score_sum + excluded.score_sum, scored = scored + excluded.scored,
    with_tokens = with_tokens + excluded.with_tokens, with_cost = with_cost + excluded.with_cost,
    min_score = min(coalesce(min_score, excluded.min_score), coalesce(excluded.min_score, min_score)),
    max_score = max(coalesce(max_score, excluded.max_score), coalesce(excluded.max_score, max_score));
END;

-- The rows a database already holds.
UPDATE trajectories SET total_tokens = NULL WHERE kind = 'testgen' AND status <> 'complete' AND total_tokens = 0;
DELETE FROM trajectory_stats_daily;
INSERT INTO trajectory_stats_daily (day, agent_name, has_model, model, count, steps, tokens, cost, score_sum, scored,
  min_score, max_score, with_tokens, with_cost)
SELECT substr(coalesce(first_step_at, created_at), 1, 10), agent_name, model_name IS NOT NULL, coalesce(model_name, ''),
  count(*), total(step_count), total(total_tokens), total(total_cost_usd), total(comprehensiveness_score),
  count(comprehensiveness_score), min(comprehensiveness_score), max(comprehensiveness_score),
  count(total_tokens), count(total_cost_usd)
FROM trajectories GROUP BY 1, 2, 3, 4;

-- The remaining orderings of src/store/list.ts (001 indexed the time ones): a list or a search ordered by
-- steps, tokens, cost or score can read its first page from the index instead of sorting every match.
CREATE INDEX team_trajectories_step_count ON team_trajectories (step_count, seq);
CREATE INDEX team_trajectories_total_tokens ON team_trajectories ((coalesce(total_tokens, -1)), seq);
CREATE INDEX team_trajectories_total_cost ON team_trajectories ((coalesce(total_cost_usd, -1)), seq);
CREATE INDEX team_trajectories_score ON team_trajectories ((coalesce(comprehensiveness_score, -1)), seq);

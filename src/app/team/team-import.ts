/**
 * Team trajectories into the local store: each fetched on demand and imported as the store's own JSONL
 * (`{"id", "trajectory" | "testgen"}`), so the identity rule places it: the same run again changes nothing,
 * a different run under a taken id is kept beside it (`id~2`).
 */
import type { TeamClient } from '../../client/team-client.js';
import type { ImportResult, TeamSummary, TrajectoryStore } from '../../public-types.js';

export interface TeamImport {
  result: ImportResult;
  /** Each imported trajectory's local id, by `member/id`. */
  localIds: Map<string, string>;
}

export const teamKey = (row: Pick<TeamSummary, 'member' | 'id'>) => `${row.member}/${row.id}`;

export async function importTeamTrajectories(
  client: TeamClient,
  store: TrajectoryStore,
  rows: ReadonlyArray<Pick<TeamSummary, 'member' | 'id'>>,
): Promise<TeamImport> {
  const lines: string[] = [];
  for (const row of rows) {
    const { trajectory, testgen } = await client.get(row.member, row.id);
    lines.push(JSON.stringify(testgen ? { id: row.id, testgen } : { id: row.id, trajectory }));
  }
  const result = await store.importTrajectories(lines.join('\n'), { format: 'jsonl' });
  const localIds = new Map(rows.map((row) => [teamKey(row), row.id]));
  for (const { index, id } of result.renamed) localIds.set(teamKey(rows[index]!), id);
  for (const { index } of result.rejected) localIds.delete(teamKey(rows[index]!));
  return { result, localIds };
}

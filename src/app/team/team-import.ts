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
  const documents: string[] = [];
  for (const row of rows) {
    const { trajectory, testgen } = await client.get(row.member, row.id);
    documents.push(JSON.stringify(testgen ?? trajectory));
    lines.push(JSON.stringify(testgen ? { id: row.id, testgen } : { id: row.id, trajectory }));
  }
  const result = await store.importTrajectories(lines.join('\n'), { format: 'jsonl' });
  const localIds = new Map<string, string>();
  const renamed = new Map(result.renamed.map(({ index, id }) => [index, id]));
  const rejected = new Set(result.rejected.map(({ index }) => index));
  for (const [index, row] of rows.entries()) {
    if (rejected.has(index)) continue;
    // Inserted or renamed, the import says where; unchanged or replaced, it matched one of the id's copies.
    const id = renamed.get(index) ?? (await localCopyOf(store, row.id, documents[index]!));
    if (id !== null) localIds.set(teamKey(row), id);
  }
  return { result, localIds };
}

/** Which stored copy of `id` (`id`, `id~2`, ...) holds this document (its JSON), or null. */
async function localCopyOf(store: TrajectoryStore, id: string, document: string): Promise<string | null> {
  for (let n = 1; ; n++) {
    const copy = n === 1 ? id : `${id}~${n}`;
    const stored = await store.getTrajectory(copy);
    if (stored === null) return null;
    if (JSON.stringify(stored.testgen ?? stored.trajectory) === document) return copy;
  }
}

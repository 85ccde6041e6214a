/**
 * A SQLite snapshot of only the trajectories a filter or search selects.
 * The store's exportSnapshot() writes the whole database, so the selection
 * is exported as JSONL, saved into a scratch in-memory store (the same
 * schema, migrations and search index) and that store's snapshot is taken.
 * The copies' createdAt is the time of the export.
 */
import type { ExportOptions, OpenOptions, ProgressListener, TrajectoryStore } from '../../public-types.js';

export type OpenScratchStore = (options: OpenOptions) => Promise<TrajectoryStore>;

export async function filteredSnapshot(
  store: TrajectoryStore,
  selection: Omit<ExportOptions, 'format'>,
  openScratch: OpenScratchStore,
  onProgress?: ProgressListener,
): Promise<{ bytes: Uint8Array; count: number }> {
  const jsonl = await store.exportTrajectories({ ...selection, format: 'jsonl' });
  const items = jsonl.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as never);
  const scratch = await openScratch({ name: 'filtered-export', storage: 'memory' });
  try {
    // keep-both: trajectories of one store never share an id, but a copy must never drop one silently.
    const result = await scratch.insertMany(items, { onConflict: 'keep-both', ...(onProgress ? { onProgress } : {}) });
    if (result.rejected.length > 0) {
      throw new Error(`${result.rejected.length} of ${items.length} trajectories could not be copied into the snapshot`);
    }
    return { bytes: await scratch.exportSnapshot(), count: items.length };
  } finally {
    await scratch.close();
  }
}

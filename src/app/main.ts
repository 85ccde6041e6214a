/**
 * The trajectory browser's first module: it starts opening the store, then loads the page's elements (page.ts)
 * while the store's worker starts, so that neither waits for the other (Lit, Chart.js and every element take a
 * while to load; the worker fetches SQLite and opens the database meanwhile).
 *
 * With `?snapshot=URL` it shows that database file instead (in memory).
 */
import { openTrajectoryStore, type TrajectoryStore } from '../index.js';

/**
 * `?snapshot=URL` (how `trajectory-store view` opens the page): the database file at URL, opened in
 * memory, so that viewing a file never changes the browser's own database.
 */
async function openStore(): Promise<TrajectoryStore> {
  const snapshotUrl = new URLSearchParams(location.search).get('snapshot');
  if (snapshotUrl === null) return openTrajectoryStore();
  const response = await fetch(snapshotUrl);
  if (!response.ok) throw new Error(`the database at ${snapshotUrl} could not be loaded (HTTP ${response.status})`);
  return openTrajectoryStore({ snapshot: new Uint8Array(await response.arrayBuffer()) });
}

const opening = openStore();
// A failure is shown by the page; until then it is not an unhandled rejection.
opening.catch(() => {});
const { start } = await import('./page.js');
void start(opening);

/**
 * store.sync(): pushes what changed since the last push to a team server, the same in a page and in Node.
 *
 * The store keeps the watermark (migrations/013, store/sync.ts); this loop does the network. Each round asks
 * the store for the next batch (the trajectories changed after the watermark, in change order), sends it,
 * and only once the server has committed it moves the watermark to the batch's last change. A tab closed
 * or a connection lost before that leaves the watermark where it was: the batch is sent again next time,
 * and the server, keyed by member and id with the newer `updatedAt` winning, answers `unchanged` for what
 * it already holds. Rounds go on until nothing is left, so what is saved during a sync is sent by it too.
 *
 * One-shot by design (README, "Sync with a team server"): sync() resolves with what it did; a caller that
 * wants a team kept current calls it again on changes or on a timer.
 */
import type { TrajectoryStore } from '../contract/store.js';
import type { SyncReport, TeamDeletionOutcome, TeamOutcome } from '../contract/sync.js';
import { TrajectoryStoreError } from '../errors.js';
import { parseOrThrow } from '../schema/issues.js';
import { type SyncOptions, SyncOptionsSchema, type SyncProgress, type SyncTarget } from '../schema/sync.js';
import { type TeamBatchResult, TeamClient, type TeamDeletionResult, teamServerUrl } from './team-client.js';

type SyncParts = Pick<TrajectoryStore, 'syncBatch' | 'recordSync'>;

/**
 * The store's `sync` method: one push at a time per server (a second call waits for the first, then pushes
 * what is left), so that two calls never send the same batch at once.
 */
export function syncMethod(store: SyncParts): (options: SyncOptions) => Promise<SyncReport> {
  const running = new Map<string, Promise<unknown>>();
  return async (options) => {
    const parsed = parseOrThrow(SyncOptionsSchema, options, 'sync options');
    const server = teamServerUrl(parsed.url);
    const before = running.get(server) ?? Promise.resolve();
    const push = before.catch(() => {}).then(() => pushAll(store, parsed));
    running.set(server, push);
    try {
      return await push;
    } finally {
      if (running.get(server) === push) running.delete(server);
    }
  };
}

async function pushAll(store: SyncParts, options: SyncOptions): Promise<SyncReport> {
  let target: SyncTarget | undefined;
  const progress = { pushed: 0, pending: 0 };
  const record = (state: SyncProgress['state'], extra: Partial<SyncProgress> = {}) =>
    target ? store.recordSync(target, { state, ...progress, ...extra }) : Promise.resolve();
  const client = new TeamClient(options.url, options.token, {
    ...(options.retryWithinMs === undefined ? {} : { retryWithinMs: options.retryWithinMs }),
    // Before each pause the failure is recorded: the last error is in the database, and with every subscriber.
    onRetry: (error) => void record('retrying', { error: errorOf(error) }).catch(() => {}),
  });
  const { member } = await client.me();
  target = { server: client.url, member };
  const report: SyncReport = {
    ...target,
    batches: 0,
    counts: emptyCounts(),
    deletions: { deleted: 0, absent: 0, stale: 0 },
    notTaken: [],
  };
  try {
    for (;;) {
      const batch = await store.syncBatch(target, {
        ...(options.batchSize ? { limit: options.batchSize } : {}),
        ...(options.maxBatchBytes ? { maxBytes: options.maxBatchBytes } : {}),
      });
      const changes = batch.lines.length + batch.deletions.length;
      if (changes === 0) break;
      progress.pending = changes + batch.remaining;
      // One id is in a batch at most once (its latest change), so the two requests may go in either order.
      if (batch.lines.length > 0) await pushLines(client, batch.lines, batch.ids, report);
      if (batch.deletions.length > 0) await pushDeletions(client, batch.deletions, report);
      progress.pushed += changes;
      progress.pending = batch.remaining;
      await record('pushing', { through: batch.through });
    }
    await record('done', { pending: 0 });
    return report;
  } catch (error) {
    const failure = error instanceof TrajectoryStoreError ? error : new TrajectoryStoreError('storage', String(error));
    await record('failed', { error: errorOf(failure) }).catch(() => {});
    throw failure;
  }
}

/** Sends lines as one batch, or in halves while the server finds them too large; one line too large is refused. */
async function pushLines(client: TeamClient, lines: string[], ids: string[], report: SyncReport): Promise<void> {
  const answer = await client.pushBatch(lines);
  if (answer === 'too_large') {
    if (lines.length === 1) {
      report.counts.rejected++;
      report.notTaken.push({
        id: ids[0]!,
        outcome: 'rejected',
        issues: [{ path: '', message: 'larger than the team server takes in one batch (413)' }],
      });
      return;
    }
    const half = Math.ceil(lines.length / 2);
    await pushLines(client, lines.slice(0, half), ids.slice(0, half), report);
    await pushLines(client, lines.slice(half), ids.slice(half), report);
    return;
  }
  tally(answer, ids, report);
}

/** Sends deletions as one request, or in halves while the server finds them too large. */
async function pushDeletions(
  client: TeamClient,
  deletions: ReadonlyArray<{ id: string; deletedAt: string }>,
  report: SyncReport,
): Promise<void> {
  const answer = await client.pushDeletions(deletions);
  if (answer === 'too_large') {
    if (deletions.length === 1)
      throw new TrajectoryStoreError('refused', 'the team server refused one deletion as too large (413)');
    const half = Math.ceil(deletions.length / 2);
    await pushDeletions(client, deletions.slice(0, half), report);
    await pushDeletions(client, deletions.slice(half), report);
    return;
  }
  tallyDeletions(answer, report);
}

function tallyDeletions(answer: TeamDeletionResult, report: SyncReport): void {
  for (const item of answer.items) {
    report.deletions[item.outcome as TeamDeletionOutcome]++;
    if (item.outcome === 'stale') report.notTaken.push({ id: item.id, outcome: 'stale', deletion: true });
  }
}

function tally(answer: TeamBatchResult, ids: string[], report: SyncReport): void {
  report.batches++;
  for (const item of answer.items) {
    report.counts[item.outcome]++;
    if (item.outcome === 'stale' || item.outcome === 'conflict' || item.outcome === 'rejected') {
      const id = item.id ?? ids[item.line - 1] ?? '';
      report.notTaken.push({ id, outcome: item.outcome, ...(item.issues ? { issues: item.issues } : {}) });
    }
  }
}

function emptyCounts(): Record<TeamOutcome, number> {
  return { inserted: 0, replaced: 0, unchanged: 0, stale: 0, conflict: 0, rejected: 0 };
}

function errorOf(error: TrajectoryStoreError): { code: string; message: string } {
  return { code: error.code, message: error.message };
}

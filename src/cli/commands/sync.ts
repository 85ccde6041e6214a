/**
 * `trajectory-store sync`: pushes the --db file's new and changed trajectories to a team server, with the
 * library's own sync loop (src/client/sync.ts) over the file's store core. The watermark lives in the file
 * (migrations/013's sync_targets), so a second sync sends only what changed since the first.
 */
import { syncMethod } from '../../client/sync.js';
import type { SyncReport } from '../../contract/sync.js';
import { stringValue, type Command } from '../command.js';
import { EXIT, usageError } from '../exit-codes.js';
import { progressBar } from '../progress.js';

/** Where the server and the token come from when no flag gives them (a token on a command line shows in `ps`). */
export const SYNC_ENV = { url: 'TRAJECTORY_TEAM_URL', token: 'TRAJECTORY_TEAM_TOKEN' } as const;

export const syncCommand: Command = {
  name: 'sync',
  summary: 'push new and changed trajectories (and deletions) to a team server',
  usage: 'trajectory-store sync [--server URL] [--batch-size N] [--retry-within SECONDS]',
  help: `Pushes every trajectory saved or changed in the database file since the last sync to this server
and member (the token's) to the team server (see serve-team), in batches, and the deletions made
since (delete). The file remembers how far each server got: a second sync sends only what changed,
and a sync that failed or was interrupted resumes where the server last committed. The file is
saved when the sync ends, even when it fails.

Options:
  --server URL         the team server, e.g. https://team.example.com; default $${SYNC_ENV.url}
  --batch-size N       trajectories per batch (default 200, at most 1000)
  --retry-within S     how long to keep trying while the server cannot be reached or answers
                       5xx or 429 (default 60)

The token is read from $${SYNC_ENV.token} (never from a flag: a command line is visible to
every user of the machine in 'ps').

Prints the counts: inserted, replaced, unchanged, deleted, and each trajectory the server did not
take (stale: it holds a newer version; conflict; rejected, with why). Exit code 1 when some were
not taken, 6 when the server refused the token or could not be reached.

Example:
  TRAJECTORY_TEAM_TOKEN=tst_... trajectory-store sync --server https://team.example.com`,
  options: {
    server: { type: 'string' },
    'batch-size': { type: 'string' },
    'retry-within': { type: 'string' },
  },
  async run(context) {
    const { values, io, json } = context;
    if (context.positionals.length > 0)
      throw usageError(`sync takes no arguments (got ${context.positionals.join(' ')})`);
    const url = stringValue(values, 'server') ?? process.env[SYNC_ENV.url];
    if (!url) throw usageError(`give the team server with --server URL or $${SYNC_ENV.url}`);
    const token = process.env[SYNC_ENV.token];
    if (!token) throw usageError(`give the member's token in $${SYNC_ENV.token}`);
    const batchSize = wholeNumber(values, 'batch-size');
    const retrySeconds = wholeNumber(values, 'retry-within');

    const database = await context.open({ write: true });
    const progress = progressBar(io.stderr, !json);
    const { core } = database;
    const sync = syncMethod({
      syncBatch: async (target, options) => core.syncBatch(target, options),
      recordSync: async (target, state) => {
        core.recordSync(target, state);
        progress.update(state.pushed, state.pushed + state.pending, state.state);
      },
    });
    try {
      const report = await sync({
        url,
        token,
        ...(batchSize === undefined ? {} : { batchSize }),
        ...(retrySeconds === undefined ? {} : { retryWithinMs: retrySeconds * 1000 }),
      });
      progress.done();
      printReport(report, context);
      return report.notTaken.length > 0 ? EXIT.partial : EXIT.ok;
    } finally {
      progress.done();
      // The watermark of every batch the server committed, and the last error, are kept even when it failed.
      database.save();
      database.close();
    }
  },
};

function wholeNumber(values: Record<string, unknown>, name: string): number | undefined {
  const text = stringValue(values as never, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw usageError(`--${name} must be a whole number (got ${text})`);
  return Number(text);
}

function printReport(report: SyncReport, { io, json }: Parameters<Command['run']>[0]): void {
  if (json) {
    io.out(JSON.stringify(report));
    return;
  }
  const { counts, deletions } = report;
  io.out(
    `${report.server} (${report.member}): ${counts.inserted} inserted, ${counts.replaced} replaced, ` +
      `${counts.unchanged} unchanged, ${deletions.deleted} deleted in ${report.batches} batch${report.batches === 1 ? '' : 'es'}`,
  );
  for (const item of report.notTaken) {
    const why = item.issues?.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ');
    io.out(`not taken: ${item.id} ${item.outcome}${item.deletion ? ' (deletion)' : ''}${why ? `: ${why}` : ''}`);
  }
}

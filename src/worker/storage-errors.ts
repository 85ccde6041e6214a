/**
 * OPFS reports a full origin quota to SQLite as a plain I/O error
 * (SQLITE_IOERR, "disk I/O error"): the refusal behind it is gone by the time
 * the statement fails (Chromium even answers a refused write with a bogus byte
 * count rather than a QuotaExceededError). So after a storage error with that
 * cause the worker asks for room of its own: if the browser refuses it, the
 * error is `quota`, and the caller can free space and try again. Otherwise the
 * error stays `storage`, with SQLite's message.
 */
import { TrajectoryStoreError, toStoreError } from '../errors.js';
import { removeFile, withSyncFile } from './opfs-files.js';

const SQLITE_IOERR = 10;
/**
 * The largest step in which Chromium grants an OPFS file room (1 MiB, doubling up to 128 MiB, then 128 MiB at
 * a time): a database file that grows by one page may ask for this much, so an origin that cannot get it may
 * have refused SQLite's write. Asked for by extending an empty file (no bytes are written), then given back.
 */
const PROBE_BYTES = 128 * 1024 * 1024;

export async function diagnoseStorageError(error: unknown, context: string): Promise<unknown> {
  const cause = error instanceof TrajectoryStoreError ? error.cause : error;
  const resultCode = (cause as { resultCode?: unknown } | null)?.resultCode;
  if (typeof resultCode !== 'number' || (resultCode & 0xff) !== SQLITE_IOERR) return error;
  if (!(await quotaExhausted())) return error;
  return new TrajectoryStoreError(
    'quota',
    `${context}: storage is full: the browser refuses this site more space (SQLite said: ` +
      `${toStoreError(error, context).message}). Nothing of this call was saved; free space (delete ` +
      'trajectories, or other data of this site) and try again.',
    { cause: error },
  );
}

async function quotaExhausted(): Promise<boolean> {
  const path = [`.quota-probe-${crypto.randomUUID()}`];
  try {
    return await withSyncFile(path, true, (handle) => {
      handle.truncate(PROBE_BYTES);
      const granted = handle.getSize() === PROBE_BYTES;
      handle.truncate(0);
      return !granted;
    });
  } catch (error) {
    // Even an empty probe file may be refused for the quota; any other failure says nothing of it.
    return (error as { name?: unknown } | null)?.name === 'QuotaExceededError';
  } finally {
    await removeFile(path);
  }
}

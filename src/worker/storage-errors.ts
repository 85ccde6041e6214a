/**
 * OPFS reports a full origin quota to SQLite as a plain I/O error
 * (SQLITE_IOERR, "disk I/O error"): the QuotaExceededError behind it is gone by
 * the time the statement fails. So after a storage error with that cause the
 * worker tries to write a small probe file of its own: if the browser refuses
 * it for the quota, the error is `quota`, and the caller can free space and
 * try again. Otherwise the error stays `storage`, with SQLite's message.
 */
import { TrajectoryStoreError, toStoreError } from '../errors.js';

const SQLITE_IOERR = 10;
/** About what a batch of saves writes at once (pages and journal). */
const PROBE_BYTES = 1024 * 1024;

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
  let root: FileSystemDirectoryHandle;
  try {
    root = await navigator.storage.getDirectory();
  } catch {
    return false;
  }
  const name = `.quota-probe-${crypto.randomUUID()}`;
  try {
    const writable = await (await root.getFileHandle(name, { create: true })).createWritable();
    try {
      await writable.write(new Uint8Array(PROBE_BYTES));
      await writable.close();
    } catch (error) {
      await writable.abort().catch(() => undefined);
      throw error;
    }
    return false;
  } catch (error) {
    return (error as { name?: unknown } | null)?.name === 'QuotaExceededError';
  } finally {
    await root.removeEntry(name).catch(() => undefined);
  }
}

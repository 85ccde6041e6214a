/**
 * A replace import whose file is checked in a worker of its own while this one writes.
 *
 * Checking every row of an untrusted file (its JSON parsed, the ATIF structural check, the summary and search
 * text) was 40-45% of a replace import, on the thread that writes. Here a checker worker (snapshot-checker.ts)
 * opens the file and checks it with the very code the store uses (SnapshotFile), posting the checked records a
 * batch at a time, and the store writes each batch as it arrives (StoreCore.beginReplaceImport): the check and
 * the writes run at the same time. All of it is one transaction, committed only once the checker has read the
 * whole file and found nothing wrong: a file refused at its last row leaves the old data exactly as it was.
 *
 * Where no checker starts (no nested workers, its script or SQLite did not load), the store imports the file
 * itself, as it does in Node.
 */
import type { Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { type SerializedStoreError, toStoreError, TrajectoryStoreError } from '../errors.js';
import { errorFrom } from '../protocol/outcome.js';
import type { StoreCall } from '../protocol/calls.js';
import { ImportOptionsSchema, type ProgressListener } from '../schema/query.js';
import { MIGRATIONS } from '../store/migration-files.js';
import { SnapshotFile } from '../store/snapshot.js';
import type { ReplaceImport } from '../store/snapshot-replace.js';
import type { StoreCore } from '../store/store.js';
import type { NewRecord } from '../store/writes.js';
import { reportProgress } from '../util/report-progress.js';

/** What the store's worker sends the checker: the file, once the checker said it is ready. */
export interface CheckerRequest {
  bytes: Uint8Array;
}

/** What the checker sends back, in this order: ready (or unavailable), then records and progress, then the end. */
export type CheckerMessage =
  | { type: 'ready' }
  | { type: 'unavailable'; reason: string }
  | { type: 'records'; batch: NewRecord[] }
  | { type: 'progress'; done: number; total: number }
  /** The whole file was read and every row passed: `count` records were sent. */
  | { type: 'checked'; count: number }
  | { type: 'refused'; error: SerializedStoreError };

/** The file of a replace import whose arguments importSnapshot accepts; null for any other call. */
export function replaceImportOf(call: StoreCall): Uint8Array | null {
  if (call.method !== 'importSnapshot') return null;
  const [bytes, options] = call.args;
  if (!(bytes instanceof Uint8Array)) return null;
  const parsed = ImportOptionsSchema.safeParse(options);
  return parsed.success && parsed.data.mode === 'replace' ? bytes : null;
}

/**
 * Replaces the store's trajectories with the file's (importSnapshot's `replace`), the file checked in a checker
 * worker; `importHere` runs the same import on this thread where none starts. The caller runs nothing else on the
 * store until this settles: the transaction stays open across tasks.
 */
export async function importChecked(
  core: StoreCore,
  bytes: Uint8Array,
  onProgress: ProgressListener | undefined,
  importHere: () => unknown,
): Promise<unknown> {
  const checker = startChecker();
  if (!checker) return importHere();
  try {
    // The old data goes at once, while the checker loads SQLite on its own thread (its word comes in a later task).
    const replace = new CheckedReplace(core, onProgress);
    if (!(await checker.ready)) {
      replace.fail(new TrajectoryStoreError('storage', 'importSnapshot: no snapshot checker could start'));
      return importHere();
    }
    return await writeWhileChecking(checker.worker, replace, bytes);
  } finally {
    checker.worker.terminate();
  }
}

/** A checker worker starting, and whether it loaded SQLite (`ready`); null if none could be made. */
function startChecker(): { worker: Worker; ready: Promise<boolean> } | null {
  if (typeof Worker !== 'function') return null;
  let worker: Worker;
  try {
    worker = new Worker(new URL('./snapshot-checker.ts', import.meta.url), {
      type: 'module',
      name: 'snapshot-checker',
    });
  } catch {
    return null;
  }
  const ready = new Promise<boolean>((resolve) => {
    worker.onmessage = ({ data }: MessageEvent<CheckerMessage>) => resolve(data.type === 'ready');
    worker.onerror = (event) => {
      event.preventDefault();
      resolve(false);
    };
  });
  return { worker, ready };
}

/** Hands the file to a ready checker and applies its messages to `replace`; settles as `replace.result` does. */
function writeWhileChecking(
  checker: Worker,
  replace: CheckedReplace,
  bytes: Uint8Array,
): Promise<{ trajectories: number }> {
  const { sent, transfer } = movable(bytes);
  checker.postMessage({ bytes: sent } satisfies CheckerRequest, transfer);
  checker.onmessage = ({ data }: MessageEvent<CheckerMessage>) => replace.receive(data);
  checker.onerror = (event) => {
    event.preventDefault();
    replace.fail(new TrajectoryStoreError('storage', `importSnapshot: the snapshot checker failed (${event.message})`));
  };
  return replace.result;
}

/**
 * The checker's side: opens the file, checks it and sends the checked records on, with `post`, as the store
 * would read them itself (SnapshotFile); then that it was checked whole, or why it was refused.
 */
export function checkSnapshot(
  sqlite3: Sqlite3Static,
  bytes: Uint8Array,
  post: (message: CheckerMessage) => void,
): void {
  try {
    const file = SnapshotFile.open(sqlite3, bytes, MIGRATIONS);
    try {
      const count = file.readRecords({
        write: (batch) => post({ type: 'records', batch }),
        onProgress: ({ done, total }) => post({ type: 'progress', done, total }),
      });
      post({ type: 'checked', count });
    } finally {
      file.close();
    }
  } catch (error) {
    post({ type: 'refused', error: toStoreError(error, 'importSnapshot').toJSON() });
  }
}

/**
 * The store's side: the old trajectories go at once, then the checker's messages are applied in order (records
 * written, progress passed on), and `result` settles when the checker says the file was checked whole (committed)
 * or refused (rolled back: the old data exactly as it was), or on the first failure (rolled back too).
 */
export class CheckedReplace {
  readonly result: Promise<{ trajectories: number }>;
  private readonly replace: ReplaceImport;
  private settle!: { resolve(result: { trajectories: number }): void; reject(error: unknown): void };
  private settled = false;

  constructor(
    core: StoreCore,
    private readonly onProgress: ProgressListener | undefined,
  ) {
    this.result = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Handled, so that an import given up before the checker started (no one waits for it then) is no unhandled
    // rejection; awaiting `result` still throws.
    this.result.catch(() => {});
    this.replace = core.beginReplaceImport();
  }

  receive(message: CheckerMessage): void {
    if (this.settled) return;
    try {
      if (message.type === 'records') this.replace.write(message.batch);
      else if (message.type === 'progress') reportProgress(this.onProgress, message.done, message.total);
      else if (message.type === 'checked') {
        const result = this.replace.commit(message.count);
        this.settled = true;
        this.settle.resolve(result);
      } else if (message.type === 'refused') this.fail(errorFrom(message.error));
    } catch (error) {
      this.fail(error);
    }
  }

  /** Gives the import up: everything written is rolled back. */
  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.replace.abort();
    this.settle.reject(error);
  }
}

/**
 * The bytes to post to the checker, and what to move rather than copy: the call's own buffer, which nothing here
 * reads again, where the bytes are all of one; else a copy of them (a part of a larger buffer, a shared one).
 */
function movable(bytes: Uint8Array): { sent: Uint8Array; transfer: Transferable[] } {
  const whole =
    bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const sent = whole ? bytes : bytes.slice();
  return { sent, transfer: [sent.buffer as ArrayBuffer] };
}

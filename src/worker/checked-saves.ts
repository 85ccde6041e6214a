/**
 * insertMany's items prepared in a worker of their own while this one writes.
 *
 * Preparing an item (prepare.ts: its exact JSON, zod's structure, the reference rules, the summary columns and
 * search text) is about a third of insertMany's CPU, and needs no database. For a call of CHECKED_MIN items or more,
 * the store's worker posts the items to a save checker (save-checker.ts) CHUNK at a time, all at once, and writes
 * each chunk's prepared forms as they come back (StoreCore.beginInsertMany): while the checker prepares the next
 * chunk, this worker writes the last one. The checker runs prepareItem, the code insertMany runs here, on a
 * structured clone of each item (as the item came from the page), so the same items are accepted or refused with
 * the same issues, and written the same. A chunk the checker could not prepare (it failed, or never started) is
 * prepared here: the result is the same, only slower. Smaller calls (a recorder's save) stay on the direct path.
 */
import { toStoreError } from '../errors.js';
import type { InsertManyResult } from '../contract/results.js';
import { argsOf, type StoreCall } from '../protocol/calls.js';
import type { InsertManyOptions, ProgressListener } from '../schema/query.js';
import { type Prepared, prepareItem } from '../store/prepare.js';
import type { CheckReply, CheckRequest } from './save-check.js';
import type { StoreCore } from '../store/store.js';

/** Items a message to the checker carries: the first chunk comes back soon, and each is a small share of a batch. */
const CHUNK = 50;

/** The smallest insertMany worth a checker: two chunks, so that preparing one overlaps writing the other. */
const CHECKED_MIN = 2 * CHUNK;

/** The items of an insertMany large enough for the checker, with the options to run it with; null otherwise. */
export function checkedInsertManyOf(
  call: StoreCall,
  onProgress: ProgressListener | undefined,
): { items: unknown[]; options: InsertManyOptions } | null {
  if (call.method !== 'insertMany') return null;
  const [items, options] = argsOf(call, onProgress);
  if (!Array.isArray(items) || items.length < CHECKED_MIN) return null;
  return { items, options: options as InsertManyOptions };
}

/**
 * insertMany of `items` with their preparing done by `checker` (this worker's save checker unless given), chunk by
 * chunk, while this worker writes. The caller runs nothing else on the store until this settles: a batch's
 * transaction stays open across tasks.
 */
export async function insertManyChecked(
  core: StoreCore,
  items: unknown[],
  options: InsertManyOptions,
  given?: SaveChecker,
): Promise<InsertManyResult> {
  const run = core.beginInsertMany(items.length, options); // bad options are refused before any checker starts
  const checker = given ?? saveChecker();
  const chunks: Array<{ start: number; prepared: Promise<Prepared[] | null> }> = [];
  for (let start = 0; start < items.length; start += CHUNK) {
    chunks.push({ start, prepared: checker.prepare(items.slice(start, start + CHUNK), run.strict) });
  }
  try {
    for (const { start, prepared } of chunks) {
      const forms = (await prepared) ?? items.slice(start, start + CHUNK).map((item) => prepareItem(item, run.strict));
      run.write(forms.map((form, i) => ({ index: start + i, prepared: form })));
    }
  } catch (error) {
    run.abort();
    throw toStoreError(error, 'insertMany');
  }
  return run.finish();
}

/** The checker's end of a channel: a Worker running save-checker.ts, or a port whose other end runs checkItems. */
export interface CheckerPort {
  postMessage(message: CheckRequest): void;
  onmessage: ((event: MessageEvent<CheckReply>) => void) | null;
}

/**
 * The store worker's side of a save checker. Requests are answered in order; once the checker failed, every
 * unanswered request is answered null (prepare it here), and so is every later one.
 */
export class SaveChecker {
  private readonly waiting = new Map<number, (prepared: Prepared[] | null) => void>();
  private nextId = 0;
  private stopped = false;

  constructor(
    private readonly port: CheckerPort | null,
    private readonly stop: () => void = () => {},
  ) {
    if (!port) this.stopped = true;
    else {
      port.onmessage = ({ data }) => {
        const answer = this.waiting.get(data.id);
        this.waiting.delete(data.id);
        answer?.('prepared' in data ? data.prepared : null);
      };
    }
  }

  get failed(): boolean {
    return this.stopped;
  }

  /** The items' prepared forms, or null where the checker cannot give them. */
  prepare(items: unknown[], strict: boolean): Promise<Prepared[] | null> {
    if (this.stopped) return Promise.resolve(null);
    const id = this.nextId++;
    try {
      this.port!.postMessage({ id, items, strict });
    } catch {
      return Promise.resolve(null);
    }
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /** The checker is gone (its worker failed): what it was asked is prepared in the store's worker. */
  fail(): void {
    this.stopped = true;
    this.stop();
    for (const answer of this.waiting.values()) answer(null);
    this.waiting.clear();
  }
}

let current: SaveChecker | undefined;

/** This worker's save checker, started at its first use and kept (it holds nothing between calls); a new one after a failure. */
function saveChecker(): SaveChecker {
  if (!current || current.failed) current = startChecker();
  return current;
}

/** A save checker in a worker of its own; one that prepares nothing where no worker starts (every chunk then here). */
function startChecker(): SaveChecker {
  if (typeof Worker !== 'function') return new SaveChecker(null);
  let worker: Worker;
  try {
    worker = new Worker(new URL('./save-checker.ts', import.meta.url), { type: 'module', name: 'save-checker' });
  } catch {
    return new SaveChecker(null);
  }
  const checker = new SaveChecker(worker, () => worker.terminate());
  worker.onerror = (event) => {
    event.preventDefault();
    checker.fail();
  };
  return checker;
}

/** What the worker's API runs calls on: a database of its own, or one shared with other tabs. */
import type { StoreChange } from '../contract/results.js';
import type { StoreRole } from '../contract/store.js';
import type { StoreCall } from '../protocol/calls.js';
import type { ProgressListener } from '../schema/query.js';
import { openMemoryDatabase, type OpenedDatabase } from './databases.js';

export interface StoreBackend {
  /** Changes over time in a shared store: a follower becomes the leader when the leader goes. */
  readonly role: StoreRole;
  /**
   * Runs `call` here, or forwards it to the tab that holds the database. `pageCallId`: the page listens on
   * its reply channel (`pageInbox`), and a forwarded call's progress and outcome go there, under that id;
   * the call then resolves with REPLIED_TO_PAGE (follower.ts).
   */
  run(call: StoreCall, onProgress?: ProgressListener, pageCallId?: string): Promise<unknown>;
  close(): Promise<void>;
}

/** A database of this worker's own, in memory: nothing to share, nothing kept. */
export class StandaloneBackend implements StoreBackend {
  readonly role = 'standalone' as const;

  /** Settles after the last call given: calls run one after the other, a replace import's across tasks too (dispatch.ts). */
  private last: Promise<unknown> = Promise.resolve();

  private constructor(private readonly database: OpenedDatabase) {}

  static async open(onChange: (change: StoreChange) => void): Promise<StandaloneBackend> {
    const database = await openMemoryDatabase();
    database.core.subscribe(onChange);
    return new StandaloneBackend(database);
  }

  run(call: StoreCall, onProgress?: ProgressListener): Promise<unknown> {
    const result = this.last.then(() => this.database.run(call, onProgress));
    this.last = result.catch(() => {});
    return result;
  }

  async close(): Promise<void> {
    this.database.close();
  }
}

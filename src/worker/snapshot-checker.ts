/**
 * The snapshot checker: a worker that the store's worker starts for a replace import (checked-import.ts). It
 * opens the file and checks it as the store itself does, with the same code (SnapshotFile: the header, the
 * schema, the b-trees, then every row as untrusted input), and posts the checked records a batch at a time to the
 * store's worker, which writes them meanwhile. It writes nothing itself, and holds no database but the file's
 * private read-only copy.
 */
import { loadSqlite3 } from '../store/sqlite3.js';
import { type CheckerMessage, type CheckerRequest, checkSnapshot } from './checked-import.js';

/** This worker's side of its port (DedicatedWorkerGlobalScope, not among the DOM library's types). */
const scope = globalThis as unknown as {
  postMessage(message: CheckerMessage): void;
  onmessage: ((event: MessageEvent<CheckerRequest>) => void) | null;
  close(): void;
};
const post = (message: CheckerMessage) => scope.postMessage(message);

loadSqlite3().then(
  (sqlite3) => {
    scope.onmessage = ({ data }) => {
      scope.onmessage = null; // one file per checker
      checkSnapshot(sqlite3, data.bytes, post);
      // Done: what it posted is on its way, and its copies of the file (about twice the file's size) are let go
      // now, while the store may still be writing the records it sent.
      scope.close();
    };
    post({ type: 'ready' });
  },
  (error) => post({ type: 'unavailable', reason: String(error) }),
);

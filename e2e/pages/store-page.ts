/** The browser tests' page: the package's browser entry and the test documents, on `window.ts`. */
import * as entry from '../../src/index.js';
import { comparableRuns, testgenSession } from '../../test/documents.js';
import { atifBatch, atifDocument, testgenDocument } from '../support/documents.js';

/** A caught error as plain data, to hand back to the test. */
function describeError(error: unknown) {
  return {
    isStoreError: error instanceof entry.TrajectoryStoreError,
    name: (error as Error)?.name,
    code: (error as { code?: string })?.code,
    message: (error as Error)?.message,
    issues: (error as { issues?: unknown })?.issues,
  };
}

/** Resolves to what `promise` rejects with, or to null when it resolves. */
async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
    return null;
  } catch (error) {
    return describeError(error);
  }
}

/** Bytes to and from base64, to carry snapshots between the page and the test. */
function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A snapshot of `rows` ATIF runs (`prefix-0`, `prefix-1`, ...), built in a store in memory. */
async function snapshotOf(prefix: string, rows: number): Promise<Uint8Array> {
  const scratch = await entry.openTrajectoryStore({ storage: 'memory' });
  try {
    await scratch.insertMany(atifBatch(prefix, rows));
    return await scratch.exportSnapshot();
  } finally {
    await scratch.close();
  }
}

const api = {
  ...entry,
  atifBatch,
  atifDocument,
  testgenDocument,
  comparableRuns,
  testgenSession,
  errorOf,
  describeError,
  toBase64,
  fromBase64,
  snapshotOf,
};
export type TestPageApi = typeof api;
Object.assign(window, { ts: api });

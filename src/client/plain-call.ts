/**
 * A call that the page could not post to its worker: structured clone refuses a function, a Symbol, a
 * WeakMap... anywhere in the arguments (a DataCloneError, and nothing was sent). The store in Node takes the
 * same arguments and stores each document as its JSON text, refusing with `validation` and the path what
 * JSON cannot hold. So the page does that here, before posting again, to each argument (insertMany: each
 * item) that cannot be posted: it becomes the JSON value the store would have stored (a `toJSON` method
 * applied, a WeakMap an empty object), or is refused with the issue the store gives, path and all.
 * insertMany's refused items are left out of the call and put back into its result at their own index, as
 * the Node store reports them. Only this failure path pays for the checks.
 */
import type { InsertManyResult } from '../contract/results.js';
import { TrajectoryStoreError, type Issue } from '../errors.js';
import type { StoreCall } from '../protocol/calls.js';
import { jsonForStorage, NotJsonError } from '../schema/exact-json.js';
import { joinPath } from '../schema/issues.js';

export function isDataCloneError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'DataCloneError';
}

/** A call of plain JSON values, and how to complete its result (insertMany: the refused items). */
export interface PlainCall {
  call: StoreCall;
  complete: (result: unknown) => unknown;
}

/** What the store's refusal calls a method's first argument (store.ts), where that is a document. */
const DOCUMENT: Partial<Record<StoreCall['method'], string>> = {
  insertTrajectory: 'ATIF trajectory',
  insertTestGenTrajectory: 'testgen trajectory',
};

export function plainCall(call: StoreCall): PlainCall {
  const args = [...call.args] as unknown[];
  if (call.method === 'insertMany' && Array.isArray(args[0])) return plainInsertMany(call, args, args[0]);
  args.forEach((arg, i) => {
    const plain = plainValue(arg);
    if ('issues' in plain) {
      const document = i === 0 ? DOCUMENT[call.method] : undefined;
      if (document) throw TrajectoryStoreError.validation(document, plain.issues);
      const issues = plain.issues.map((issue) => ({ ...issue, path: joinPath(`arguments[${i}]`, issue.path) }));
      throw TrajectoryStoreError.validation(`${call.method} arguments`, issues);
    }
    args[i] = plain.value;
  });
  return { call: { method: call.method, args } as StoreCall, complete: (result) => result };
}

function plainInsertMany(call: StoreCall, args: unknown[], items: unknown[]): PlainCall {
  const sent: unknown[] = [];
  /** The caller's index of each item sent. */
  const indexes: number[] = [];
  const refused: InsertManyResult['rejected'] = [];
  items.forEach((item, index) => {
    const plain = plainValue(item);
    if ('issues' in plain) refused.push({ index, issues: plain.issues });
    else {
      sent.push(plain.value);
      indexes.push(index);
    }
  });
  args[0] = sent;
  const complete = (value: unknown): InsertManyResult => {
    const result = value as InsertManyResult;
    const original = <T extends { index: number }>(entry: T): T => ({ ...entry, index: indexes[entry.index]! });
    return {
      ...result,
      rejected: [...result.rejected.map(original), ...refused].sort((a, b) => a.index - b.index),
      renamed: result.renamed.map(original),
      warnings: result.warnings.map(original),
    };
  };
  return { call: { method: call.method, args } as StoreCall, complete };
}

/** `value` itself if it can be posted; else the JSON value the store would store for it, or the refusal of what JSON cannot hold. */
function plainValue(value: unknown): { value: unknown } | { issues: Issue[] } {
  try {
    structuredClone(value);
    return { value };
  } catch {
    // Not as it is: as the store would store it.
  }
  try {
    return { value: JSON.parse(jsonForStorage(value).json) };
  } catch (error) {
    if (!(error instanceof NotJsonError)) throw error;
    return { issues: [{ path: error.path, message: `cannot be stored as JSON: ${error.reason}` }] };
  }
}

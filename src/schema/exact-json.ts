/**
 * JSON text that gives back exactly the value it was written from.
 *
 * `JSON.stringify` is almost that, with two gaps that real trajectories hit:
 * it writes `-0` as `0` (logprobs of `-0.0` came back as `0`), and it recurses,
 * so a document nested a few thousand levels deep throws a RangeError. This
 * writer walks the value with an explicit stack (any depth), writes `-0`, and
 * refuses, with the path of the offending value, what JSON cannot hold at all:
 * cycles, `NaN` and the infinities, BigInts, functions and Symbols (which
 * `JSON.stringify` silently drops, and a browser cannot even hand to the
 * store's worker). Everything else follows `JSON.stringify`: `toJSON` is
 * honoured, object keys holding `undefined` are left out, and in arrays
 * `undefined` becomes `null`.
 * Strings are written by `JSON.stringify` itself, so lone surrogates are
 * escaped (and stored text stays valid UTF-8).
 *
 * `JSON.parse` reads `-0` back as -0 and is not recursive, so reading needs nothing special.
 *
 * `jsonText` is what the store calls: a quick look for what the native writer
 * gets wrong, then the native writer (five times faster) for the documents
 * where it is exact, which is nearly all of them.
 */
import { formatPath } from './issues.js';

/** A value JSON cannot hold; `path` says where it is (`steps[2].metrics.logprobs[7]`). */
export class NotJsonError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path || '(root)'}: ${reason}`);
  }
}

interface Frame {
  /** The object or array being written. */
  value: object;
  /** Its own keys (objects) or null (arrays). */
  keys: string[] | null;
  /** Next key or index to write. */
  next: number;
  /** Whether a member has been written yet (for commas). */
  wrote: boolean;
  /** Its key or index in its parent, for error paths. */
  at: PropertyKey;
}

type Leaf = { text: string } | { skip: true } | { open: object };

function leaf(value: unknown, inArray: boolean, path: () => string): Leaf {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: (key: string) => unknown }).toJSON('');
  }
  switch (typeof v) {
    case 'string':
      return { text: JSON.stringify(v) };
    case 'number':
      if (!Number.isFinite(v)) throw new NotJsonError(path(), `${v} cannot be stored in JSON`);
      return { text: Object.is(v, -0) ? '-0' : String(v) };
    case 'boolean':
      return { text: v ? 'true' : 'false' };
    case 'bigint':
      throw new NotJsonError(path(), 'a BigInt cannot be stored in JSON');
    case 'undefined':
      return inArray ? { text: 'null' } : { skip: true };
    case 'function':
    case 'symbol':
      throw new NotJsonError(path(), `a ${typeof v === 'function' ? 'function' : 'Symbol'} cannot be stored in JSON`);
    default:
      if (v === null) return { text: 'null' };
      if (v instanceof Number || v instanceof String || v instanceof Boolean) return leaf(v.valueOf(), inArray, path);
      return { open: v as object };
  }
}

/** The exact JSON text of `value`. Throws NotJsonError for what JSON cannot hold. */
export function exactJson(value: unknown): string {
  const stack: Frame[] = [];
  const open = new Set<object>();
  const out: string[] = [];
  const pathTo = (last?: PropertyKey) =>
    formatPath([...stack.slice(1).map((f) => f.at), ...(last === undefined ? [] : [last])]);

  const enter = (target: object, at: PropertyKey) => {
    if (open.has(target)) throw new NotJsonError(pathTo(at), 'refers back to an enclosing value (a cycle)');
    open.add(target);
    const isArray = Array.isArray(target);
    out.push(isArray ? '[' : '{');
    stack.push({ value: target, keys: isArray ? null : Object.keys(target), next: 0, wrote: false, at });
  };

  const root = leaf(value, false, () => '');
  if ('skip' in root) throw new NotJsonError('', `${typeof value} cannot be stored in JSON`);
  if ('text' in root) return root.text;
  enter(root.open, '');

  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { keys } = frame;
    const length = keys ? keys.length : (frame.value as unknown[]).length;
    if (frame.next >= length) {
      out.push(keys ? '}' : ']');
      open.delete(frame.value);
      stack.pop();
      continue;
    }
    const i = frame.next++;
    const key: PropertyKey = keys ? keys[i]! : i;
    const member = leaf((frame.value as Record<PropertyKey, unknown>)[key], !keys, () => pathTo(keys ? key : i));
    if ('skip' in member) continue;
    if (frame.wrote) out.push(',');
    frame.wrote = true;
    if (keys) out.push(JSON.stringify(key), ':');
    if ('text' in member) out.push(member.text);
    else enter(member.open, key);
  }
  return out.join('');
}

/** Below this depth the native writer is safe from stack overflow (it fails near 5,000 in Node 20). */
const NATIVE_DEPTH_LIMIT = 1000;

/**
 * Whether `JSON.stringify(value)` could differ from `exactJson(value)` or fail: a -0, a non-finite number, a
 * BigInt, a function or Symbol, great depth (or a cycle); or whether the JSON reads back as another value than
 * `value` (a `toJSON` method: a Date, or a producer's own).
 */
function needsExactWriter(value: unknown): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (typeof v === 'number') {
      if (v === 0 ? Object.is(v, -0) : !Number.isFinite(v)) return true;
    } else if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') {
      return true;
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= NATIVE_DEPTH_LIMIT || typeof (v as { toJSON?: unknown }).toJSON === 'function') return true;
      const members: unknown[] = Array.isArray(v) ? v : Object.values(v);
      for (const member of members) {
        values.push(member);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** The exact JSON text of a value to store. Throws NotJsonError (with a path) for what JSON cannot hold. */
export function jsonText(value: unknown): string {
  return jsonForStorage(value).json;
}

/**
 * The JSON text to store for `value`, and the value that text reads back as: `value` itself, unless a
 * `toJSON` method (a Date, say) made the text say something else. Checking and summarising `value` then
 * describes what is stored, not what was handed in. Throws NotJsonError (with a path) for what JSON cannot hold.
 */
export function jsonForStorage(value: unknown): { json: string; value: unknown } {
  if (needsExactWriter(value)) {
    const json = exactJson(value);
    return { json, value: JSON.parse(json) };
  }
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return { json, value };
  } catch {
    // A cycle: the exact writer says where.
  }
  return { json: exactJson(value), value };
}

/**
 * Keyset paging. A cursor names the last row of a page by its sort key and
 * `seq` (unique, never changed by a re-save), so the next page starts exactly
 * after it: every row is seen once, even while rows are being added. Cursors
 * are opaque base64url JSON; one that does not decode, or that was made for
 * another ordering, is a validation error.
 */
import type { SqlValue } from '@sqlite.org/sqlite-wasm';
import { z } from 'zod';
import { TrajectoryStoreError } from '../errors.js';
import type { Condition } from './filters.js';

/**
 * A sort key beyond 2^53 is read as a BigInt (a token count of 2^60): JSON has no such number, and a double
 * would move the key, so it is written as its decimal digits.
 */
const BigKey = z.strictObject({ int: z.string().regex(/^-?\d{1,19}$/) }).refine(({ int }) => {
  const value = BigInt(int);
  return value >= -(2n ** 63n) && value < 2n ** 63n;
});

const CursorSchema = z.strictObject({
  o: z.string(),
  d: z.enum(['asc', 'desc']),
  k: z.union([z.string(), z.number(), z.null(), BigKey]),
  s: z.int(),
  /** A ranked search's window: the highest seq of the block of matches the row was ranked in (search.ts). */
  w: z.int().optional(),
});
type CursorData = z.infer<typeof CursorSchema>;

export interface Ordering {
  /** The name the cursor records, e.g. `createdAt` or `rank`. */
  name: string;
  /** The SQL expression rows are sorted by; `seq` breaks ties. */
  expression: string;
  direction: 'asc' | 'desc';
  /** Where the query finds seq, when not in `t.seq` (a search index calls it rowid). */
  seq?: string;
}

export function encodeCursor(ordering: Ordering, key: SqlValue, seq: number, window?: number): string {
  const data: CursorData = {
    o: ordering.name,
    d: ordering.direction,
    k: typeof key === 'bigint' ? { int: key.toString() } : (key as CursorData['k']),
    s: seq,
    ...(window === undefined ? {} : { w: window }),
  };
  return btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(data))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function decodeCursor(cursor: string): CursorData | undefined {
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const parsed = CursorSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A cursor's data, checked against the ordering it is used with (a validation error if it does not fit). */
function checkedCursor(ordering: Ordering, cursor: string): CursorData {
  const data = decodeCursor(cursor);
  if (!data) {
    throw TrajectoryStoreError.validation('query', [
      { path: 'cursor', message: 'is not a cursor returned by this store' },
    ]);
  }
  if (data.o !== ordering.name || data.d !== ordering.direction) {
    throw TrajectoryStoreError.validation('query', [
      {
        path: 'cursor',
        message: `was made for ordering ${data.o} ${data.d}, not ${ordering.name} ${ordering.direction}`,
      },
    ]);
  }
  return data;
}

/** The ranking window a cursor was made in (search.ts), if any. */
export function cursorWindow(ordering: Ordering, cursor: string | undefined): number | undefined {
  return cursor === undefined ? undefined : checkedCursor(ordering, cursor).w;
}

/** The condition that starts a page after `cursor` (none for the first page). */
export function afterCursor(ordering: Ordering, cursor: string | undefined): Condition {
  if (cursor === undefined) return { sql: '1', params: [] };
  const data = checkedCursor(ordering, cursor);
  const op = ordering.direction === 'asc' ? '>' : '<';
  // (key, seq) op (k, s), spelt so that SQLite seeks the sort index to k instead of scanning to it.
  const key = ordering.expression;
  const seq = ordering.seq ?? 't.seq';
  const k = data.k !== null && typeof data.k === 'object' ? BigInt(data.k.int) : data.k;
  return { sql: `${key} ${op}= ? AND (${key} ${op} ? OR ${seq} ${op} ?)`, params: [k, k, data.s] };
}

/** ORDER BY the ordering; `key` and `seq` name other columns holding the same values (an outer query's). */
export function orderClause(ordering: Ordering, key = ordering.expression, seq = ordering.seq ?? 't.seq'): string {
  const dir = ordering.direction === 'asc' ? 'ASC' : 'DESC';
  return `ORDER BY ${key} ${dir}, ${seq} ${dir}`;
}

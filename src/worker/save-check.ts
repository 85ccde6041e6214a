/**
 * What the save checker (save-checker.ts) does with each request of the store's worker (checked-saves.ts): the
 * items prepared as insertMany prepares them on its own thread, by the same function.
 */
import { type Prepared, prepareItem } from '../store/prepare.js';

/** What the store's worker sends the checker: items to prepare, with insertMany's `strict`. */
export interface CheckRequest {
  id: number;
  items: unknown[];
  strict: boolean;
}

/** What the checker answers for each request: the items' prepared forms in order, or that preparing them threw. */
export type CheckReply = { id: number; prepared: Prepared[] } | { id: number; failed: string };

/** One request prepared (prepareItem, item by item), or the failure to say so: the store's worker then prepares it. */
export function checkItems({ id, items, strict }: CheckRequest): CheckReply {
  try {
    return { id, prepared: items.map((item) => prepareItem(item, strict)) };
  } catch (error) {
    return { id, failed: String(error) };
  }
}

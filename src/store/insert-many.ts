/**
 * insertMany's writes: items' prepared forms (prepare.ts) written in transactions of INSERT_MANY_BATCH items, in
 * order, each placed under `onConflict` (identity.ts), what happened added up into one result: the same writes for
 * insertMany (InsertManyRun) and importTrajectories' batches (BatchWrite).
 */
import type { Issue } from '../errors.js';
import type { InsertManyResult, ImportResult } from '../contract/results.js';
import type { OnConflict, ProgressListener } from '../schema/query.js';
import { reportProgress } from '../util/report-progress.js';
import type { Connection, WriteTransaction } from './connection.js';
import { place, type Placement } from './identity.js';
import type { Prepared } from './prepare.js';
import { SearchTextWrites } from './search-index.js';
import { savePlaced } from './writes.js';

/** Items a transaction of insertMany or importSnapshot writes: few commits, each well under a second. */
export const INSERT_MANY_BATCH = 500;

/** An item of the caller's input, prepared: its place in the input (and its line, for a file) and the outcome. */
export interface PreparedItem {
  index: number;
  line?: number;
  prepared: Prepared;
}

interface Written {
  index: number;
  line?: number;
  warnings: Issue[];
  placement: Placement;
  originalId: string;
}

/**
 * One batch's transaction: its items added in order, the storable ones written at once (the transaction begun by
 * the first), the refused ones reported in the result; `commit` writes the batch's search text and commits, and
 * only then counts the written items in the result. On a failure the caller calls `abort`: nothing of the batch stays.
 */
export class BatchWrite {
  private transaction: WriteTransaction | null = null;
  private readonly searchTexts = new SearchTextWrites();
  private readonly written: Written[] = [];

  constructor(
    private readonly conn: Connection,
    private readonly onConflict: OnConflict | undefined,
    private readonly result: InsertManyResult | ImportResult,
  ) {}

  add(items: readonly PreparedItem[]): void {
    for (const { index, line, prepared } of items) {
      const at = line === undefined ? { index } : { index, line };
      if ('issues' in prepared) {
        this.result.rejected.push({ ...at, issues: prepared.issues });
        continue;
      }
      this.transaction ??= this.conn.begin();
      const { record, warnings } = prepared;
      const placement = place(this.conn, record, this.onConflict);
      if (placement.write) savePlaced(this.conn, { ...record, id: placement.id }, placement, this.searchTexts);
      this.written.push({ ...at, warnings, placement, originalId: record.id });
    }
  }

  /** Commits what was added (nothing to do if every item was refused); returns the ids written. */
  commit(): string[] {
    if (!this.transaction) return [];
    this.searchTexts.write(this.conn);
    this.transaction.commit();
    this.transaction = null;
    const savedIds: string[] = [];
    for (const { index, line, warnings, placement, originalId } of this.written) {
      const { outcome, id } = placement;
      this.result[outcome === 'renamed' ? 'inserted' : outcome]++;
      if (outcome === 'renamed') this.result.renamed.push({ index, id, originalId });
      if (placement.write) savedIds.push(id);
      if (warnings.length > 0)
        this.result.warnings.push({ index, ...(line === undefined ? {} : { line }), id, warnings });
    }
    return savedIds;
  }

  abort(): void {
    this.transaction?.rollback();
    this.transaction = null;
  }
}

/**
 * A whole insertMany of `count` items: their prepared forms given in order (`write`, in pieces of any size), a
 * batch committed and progress told as soon as its last item is in. A failure rolls back the batch under way and
 * is thrown; earlier batches stay saved.
 */
export class InsertManyRun {
  readonly result = emptyInsertManyResult();
  readonly savedIds: string[] = [];
  private batch: BatchWrite | null = null;
  /** Items given so far: the index of the next one. */
  private next = 0;

  constructor(
    private readonly conn: Connection,
    private readonly count: number,
    private readonly onConflict: OnConflict | undefined,
    private readonly onProgress: ProgressListener | undefined,
  ) {}

  /** The next items, in order: `items[0].index` is the count of items given before. */
  write(items: readonly PreparedItem[]): void {
    try {
      for (let start = 0; start < items.length; ) {
        if (this.next >= this.count) throw new Error(`insertMany: more than the call's ${this.count} items written`);
        const batchEnd = Math.min(this.next - (this.next % INSERT_MANY_BATCH) + INSERT_MANY_BATCH, this.count);
        const piece = items.slice(start, start + batchEnd - this.next);
        this.batch ??= new BatchWrite(this.conn, this.onConflict, this.result);
        this.batch.add(piece);
        start += piece.length;
        this.next += piece.length;
        if (this.next === batchEnd) this.commitBatch();
      }
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** Rolls back the batch under way, if any. */
  abort(): void {
    this.batch?.abort();
    this.batch = null;
  }

  private commitBatch(): void {
    this.savedIds.push(...this.batch!.commit());
    this.batch = null;
    reportProgress(this.onProgress, this.next, this.count);
  }
}

function emptyInsertManyResult(): InsertManyResult {
  return { inserted: 0, replaced: 0, unchanged: 0, skipped: 0, rejected: [], renamed: [], warnings: [] };
}

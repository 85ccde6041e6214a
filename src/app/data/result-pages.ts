/**
 * The rows of a list or search, loaded one keyset page at a time as the
 * person scrolls, never all at once. A reload re-reads as many rows as are
 * shown and swaps them in together, so a refresh does not make the list jump.
 */
import type { Page, SearchHit, TrajectorySummary } from '../../public-types.js';

export type ResultRow = TrajectorySummary & Partial<Pick<SearchHit, 'snippet' | 'rank'>>;

/** One page after `cursor`; `limit` asks for a larger page than usual (a reload), at most the store's maximum. */
export type FetchPage = (cursor: string | undefined, limit?: number) => Promise<Page<ResultRow>>;

/** The store's largest page: a reload of many shown rows reads them in as few queries as it can. */
const MAX_RELOAD_PAGE = 1000;

export class ResultPages {
  rows: ResultRow[] = [];
  /** No more rows to load. */
  complete = false;
  loading = false;
  error: unknown = null;
  private cursor: string | undefined;
  /** Bumped by every reload: a page that arrives for an older one is dropped. */
  private generation = 0;

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly onChange: () => void,
  ) {}

  /** Loads the next page, unless one is loading or there is none. */
  async loadMore(): Promise<void> {
    if (this.loading || this.complete) return;
    const generation = this.generation;
    this.loading = true;
    this.onChange();
    try {
      const page = await this.fetchPage(this.cursor);
      if (generation !== this.generation) return;
      this.rows = [...this.rows, ...page.items];
      this.cursor = page.nextCursor;
      this.complete = page.nextCursor === undefined;
      this.error = null;
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = error;
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.onChange();
      }
    }
  }

  /** Reads the rows again from the start, at least as many as are loaded now. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    const wanted = Math.max(1, this.rows.length);
    this.loading = true;
    try {
      const rows: ResultRow[] = [];
      let cursor: string | undefined;
      let complete = false;
      do {
        const page = await this.fetchPage(cursor, Math.min(MAX_RELOAD_PAGE, Math.max(1, wanted - rows.length)));
        if (generation !== this.generation) return;
        rows.push(...page.items);
        cursor = page.nextCursor;
        complete = cursor === undefined;
      } while (!complete && rows.length < wanted);
      this.rows = rows;
      this.cursor = cursor;
      this.complete = complete;
      this.error = null;
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = error;
    }
    this.loading = false;
    this.onChange();
  }

  /** Stops every load in flight from landing (the query changed). */
  abandon(): void {
    this.generation++;
  }
}

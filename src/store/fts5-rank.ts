/**
 * store_rank: FTS5's bm25 without the IDF, for a query in which one phrase
 * alone can score. The search ranks such a query with it (rankExpression).
 *
 * FTS5's bm25() counts the rows holding each phrase of the query over the
 * whole table on every query, for the phrase's IDF: a second full read of the
 * phrase, whatever the page (some 10 ms for a word in most of 100,000 rows; a
 * position check of every row holding both words of a phrase; a second merge
 * of every term a prefix matches). With one scoring phrase that IDF multiplies
 * every row's score alike, so it cannot change the order: store_rank leaves it
 * out and reads nothing beyond the ranked rows. Its value is bm25's divided by
 * that IDF: lower is better, comparable within one search only.
 *
 *   store_rank(table) = -sum over phrases of f(k1 + 1) / (f + k1(1 - b + b D / avgdl))
 *
 * with bm25's k1 = 1.2, b = 0.75, f the phrase's instances in the row, D the
 * row's tokens, avgdl the table's average (fts5_aux.c, same operations, so the
 * same doubles). Excluded phrases (`NOT`) are never in a matching row: f = 0.
 *
 * Registered on every store connection (StoreCore); a connection without it
 * fails the query ("no such function: store_rank") rather than rank wrongly.
 * It reaches FTS5's C API through the official build's exports: the fts5_api
 * pointer from `SELECT fts5(?1)` (sqlite3_bind_pointer), its function pointers
 * called through the WASM function table (layouts: sqlite.org/fts5.html,
 * "Custom Auxiliary Functions"; wasm32: 4-byte pointers and ints).
 */
import type { Database, Sqlite3Static } from '@sqlite.org/sqlite-wasm';

export const RANK_FUNCTION = 'store_rank';

/** bm25's constants (fts5_aux.c). */
const K1 = 1.2;
const B = 0.75;

/** Byte offsets of the function pointers used, in fts5_api and Fts5ExtensionApi (wasm32). */
const FTS5_API = { xCreateFunction: 12 };
const EXTENSION_API = {
  xRowCount: 12,
  xColumnTotalSize: 16,
  xPhraseCount: 24,
  xInstCount: 32,
  xInst: 36,
  xColumnSize: 48,
  xSetAuxdata: 56,
  xGetAuxdata: 60,
};

type WasmFunction = (...args: number[]) => number;

/** The function installed in each SQLite module's WASM table: one slot for all its connections. */
const installed = new WeakMap<Sqlite3Static, number>();

export function registerRankFunction(sqlite3: Sqlite3Static, db: Database): void {
  const { capi, wasm } = sqlite3;
  let fn = installed.get(sqlite3);
  if (fn === undefined) {
    fn = wasm.installFunction('v(pppip)', rankFunction(sqlite3));
    installed.set(sqlite3, fn);
  }
  const api = fts5Api(sqlite3, db);
  const xCreateFunction = wasm.functionEntry(wasm.peekPtr(api + FTS5_API.xCreateFunction) as number) as WasmFunction;
  const name = wasm.allocCString(RANK_FUNCTION, false);
  try {
    const rc = xCreateFunction(api, name, 0, fn, 0);
    if (rc !== capi.SQLITE_OK)
      throw new Error(`FTS5 refused the ${RANK_FUNCTION} function (${capi.sqlite3_js_rc_str(rc)})`);
  } finally {
    wasm.dealloc(name);
  }
}

/** The connection's fts5_api: `SELECT fts5(?1)` writes it through a pointer bound as "fts5_api_ptr". */
function fts5Api({ capi, wasm }: Sqlite3Static, db: Database): number {
  const out = wasm.alloc(4);
  const stmt = db.prepare('SELECT fts5(?1)');
  try {
    wasm.pokePtr(out, 0);
    db.checkRc(capi.sqlite3_bind_pointer(stmt.pointer!, 1, out, 'fts5_api_ptr', 0));
    stmt.step();
    const api = wasm.peekPtr(out) as number;
    if (!api) throw new Error('this SQLite build has no FTS5');
    // The layout read here is version 2's; later versions only append to the struct.
    if ((wasm.peek32(api) as number) < 2) throw new Error('this SQLite build has an FTS5 older than version 2');
    return api;
  } finally {
    stmt.finalize();
    wasm.dealloc(out);
  }
}

/**
 * The auxiliary function: (Fts5ExtensionApi*, Fts5Context*, sqlite3_context*, nVal, sqlite3_value**).
 * What stays the same through one query (avgdl, the phrase count) is worked out on its first row and kept as
 * FTS5 auxdata (doubles in WASM memory, freed by FTS5 when the query ends).
 */
function rankFunction({ capi, wasm }: Sqlite3Static) {
  let api: Record<keyof typeof EXTENSION_API, WasmFunction> | undefined;
  // Called on every ranked row: straight to the C function, past the JS binding's argument checks.
  const resultDouble = wasm.exports.sqlite3_result_double as (pCtx: number, value: number) => void;
  // Out-parameters of the calls below (8-byte aligned, for 64-bit counts).
  const scratch = wasm.alloc(16);
  const word = scratch >> 2;
  let i32 = wasm.heap32();
  let f64 = new Float64Array(i32.buffer);
  /** Views of WASM memory, made again when it has grown. */
  const heap = () => {
    const now = wasm.heap32();
    if (now !== i32) {
      i32 = now;
      f64 = new Float64Array(now.buffer);
    }
  };
  const ok = (rc: number) => {
    if (rc !== capi.SQLITE_OK) throw new RankError(rc);
  };

  /** The doubles avgdl and phrase count, at the returned address (kept by FTS5 until the query ends). */
  const queryConstants = (a: NonNullable<typeof api>, pFts: number): number => {
    ok(a.xRowCount(pFts, scratch));
    const rows = Number(wasm.peek64(scratch));
    ok(a.xColumnTotalSize(pFts, -1, scratch));
    const tokens = Number(wasm.peek64(scratch));
    const phrases = a.xPhraseCount(pFts);
    const at = wasm.alloc(16);
    heap();
    f64[at >> 3] = tokens / rows;
    f64[(at >> 3) + 1] = phrases;
    ok(a.xSetAuxdata(pFts, at, capi.SQLITE_WASM_DEALLOC as number));
    return at;
  };

  /** f(q, D) of each phrase: how many times it is in this row (its `instances` are all of them). */
  const frequencies = (a: NonNullable<typeof api>, pFts: number, phrases: number, instances: number): number[] => {
    const frequency = new Array<number>(phrases).fill(0);
    for (let i = 0; i < instances; i++) {
      ok(a.xInst(pFts, i, scratch, scratch + 4, scratch + 8));
      heap();
      frequency[i32[word]!]!++;
    }
    return frequency;
  };

  return (xApi: number, pFts: number, pCtx: number, nVal: number): void => {
    try {
      if (nVal !== 0) throw new Error(`${RANK_FUNCTION} takes no arguments but its table`);
      api ??= Object.fromEntries(
        Object.entries(EXTENSION_API).map(([name, offset]) => [
          name,
          wasm.functionEntry(wasm.peekPtr(xApi + offset) as number) as WasmFunction,
        ]),
      ) as NonNullable<typeof api>;
      const at = (api.xGetAuxdata(pFts, 0) || queryConstants(api, pFts)) >> 3;
      ok(api.xInstCount(pFts, scratch));
      ok(api.xColumnSize(pFts, -1, scratch + 4));
      heap();
      const instances = i32[word]!;
      const length = i32[word + 1]!;
      const avgdl = f64[at]!;
      const phrases = f64[at + 1]!;
      // bm25's terms, in its order of operations (the same doubles), each phrase weighing 1.
      const lengthPart = K1 * (1 - B + (B * length) / avgdl);
      let score = 0;
      if (phrases === 1) score += (instances * (K1 + 1.0)) / (instances + lengthPart);
      else for (const f of frequencies(api, pFts, phrases, instances)) score += (f * (K1 + 1.0)) / (f + lengthPart);
      resultDouble(pCtx, -1.0 * score);
    } catch (error) {
      if (error instanceof RankError) capi.sqlite3_result_error_code(pCtx, error.rc);
      else capi.sqlite3_result_error(pCtx, error instanceof Error ? error.message : String(error), -1);
    }
  };
}

/** An FTS5 call that failed (SQLITE_NOMEM, a corrupt index...): the query fails with its code. */
class RankError extends Error {
  constructor(readonly rc: number) {
    super(`FTS5 failed with code ${rc}`);
  }
}

/**
 * Each match's rank, lower is better, in a query naming the FTS5 `table` as `alias`: store_rank where one phrase
 * alone can score (`scoringPhrases`: the expression's phrases but the excluded ones), else FTS5's bm25 (the
 * hidden `rank` column), whose IDFs then weigh the phrases against each other.
 */
export function rankExpression(scoringPhrases: number, table: string, alias: string): string {
  return scoringPhrases === 1 ? `${RANK_FUNCTION}(${alias}.${table})` : `${alias}.rank`;
}

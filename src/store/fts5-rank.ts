/**
 * The search's two FTS5 ranking functions: bm25 without reading every row
 * that holds a common phrase. The search ranks with them (rankExpression);
 * both are lower-is-better, comparable within one search.
 *
 * FTS5's bm25() counts the rows holding each phrase of the query over the
 * whole table on every query, for the phrase's IDF: a second full read of the
 * phrase, whatever the page (some 10 ms for a word in most of 100,000 rows; a
 * position check of every row holding both words of a phrase; a second merge
 * of every term a prefix matches). Both functions run FTS5's own bm25 code on
 * every row, given the IDFs instead of letting it count them:
 *
 * - store_rank, where one phrase alone can score: that IDF multiplies every
 *   row's score alike, so it cannot change the order; store_rank gives every
 *   phrase an IDF of 1 and reads nothing beyond the ranked rows. Its value is
 *   bm25's divided by that IDF.
 * - store_bm25(table, scoring), where several phrases score (their IDFs weigh
 *   them against each other): bm25's own values, to the last bit, but each
 *   phrase's count stops at half the table's rows. bm25's IDF,
 *   log((N - n + 0.5) / (n + 0.5)), is 0 or less from there on, and bm25 then
 *   takes 1e-6 whatever n is: a common word (most searches' words) is read at
 *   most half way. Only the first `scoring` phrases are counted: the excluded
 *   ones (`NOT`) come after them and are never in a matching row, so their IDF
 *   multiplies 0.
 *
 * How: bm25 (fts5_aux.c) keeps what it counted on its query's first row as
 * FTS5 auxdata, found by the function FTS5 is running. These functions put
 * that record (Fts5Bm25Data) there themselves, with their IDFs, and then call
 * bm25's C function, which finds it and counts nothing. The logarithm is
 * SQLite's own `ln`: the C library's `log` that bm25 calls (a JS Math.log may
 * differ from it in the last bit).
 *
 * Registered on every store connection (StoreCore); a connection without
 * them fails the query ("no such function: store_rank") rather than rank
 * wrongly. They reach FTS5's C API through the official build's exports: the
 * fts5_api pointer from `SELECT fts5(?1)` (sqlite3_bind_pointer), its function
 * pointers called through the WASM function table (layouts: sqlite.org/fts5.html,
 * "Custom Auxiliary Functions"; wasm32: 4-byte pointers and ints). Two layouts
 * are FTS5's own, not its API (fts5_main.c, fts5_aux.c, unchanged since 2015):
 * the list of auxiliary functions, where bm25's C function is found, and
 * Fts5Bm25Data; registration checks the first and fails if it is not as read
 * here (the sqlite-wasm version is pinned), and test/search-rank.test.ts holds
 * every value to bm25's.
 */
import type { Database, PreparedStatement, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import type { Condition } from './filters.js';

export const RANK_FUNCTION = 'store_rank';
export const BM25_FUNCTION = 'store_bm25';

/** The IDF bm25 gives a phrase in half the rows or more (fts5_aux.c). */
const COMMON_IDF = 1e-6;

/** Byte offsets of the function pointers used, in fts5_api and Fts5ExtensionApi (wasm32). */
const FTS5_API = { xCreateFunction: 12 };
const EXTENSION_API = {
  xRowCount: 12,
  xColumnTotalSize: 16,
  xPhraseCount: 24,
  xSetAuxdata: 56,
  xGetAuxdata: 60,
};
/** FTS5's record of a registered auxiliary function (fts5_main.c, Fts5Auxiliary), wasm32. */
const AUXILIARY = { pGlobal: 0, zFunc: 4, xFunc: 12, pNext: 20 };
/** How far into fts5_api's enclosing Fts5Global the head of the auxiliary function list is looked for. */
const GLOBAL_SEARCHED_BYTES = 64;
/** bm25's per-query record (fts5_aux.c, Fts5Bm25Data), wasm32: its arrays follow it. */
const BM25_DATA = { nPhrase: 0, avgdl: 8, aIDF: 16, aFreq: 20, size: 24 };

type WasmFunction = (...args: number[]) => number;
type ExtensionApi = Record<keyof typeof EXTENSION_API, WasmFunction>;

/** How a ranking function weighs the phrases of its query: their IDFs, from its arguments and the table's rows. */
type Weigh = (phrases: number, rows: number, args: number[], idf: (rows: number, hits: number) => number) => number[];

/** Every phrase weighs 1. */
const unweighed: Weigh = (phrases) => new Array<number>(phrases).fill(1);

/**
 * bm25's IDF of each phrase, from the arguments: how many rows hold each of the first phrases (the scoring ones),
 * exactly, or any number of at least half the rows (then bm25's IDF is 1e-6 whatever the number). The phrases
 * after them are excluded (`NOT`): never in a matching row, their IDF multiplies 0.
 */
const bm25Weights: Weigh = (phrases, rows, hits, idf) => {
  if (hits.length === 0 || hits.length > phrases || hits.some((n) => !Number.isInteger(n) || n < 0))
    throw new Error(`${BM25_FUNCTION} takes its table and the row count of each phrase that scores`);
  const half = Math.ceil(rows / 2);
  return Array.from({ length: phrases }, (_, phrase) => {
    const n = hits[phrase];
    return n === undefined || n >= half ? COMMON_IDF : idf(rows, n);
  });
};

interface RankFunction {
  name: string;
  weigh: Weigh;
  /** How many arguments it takes after its table (any number: undefined). */
  arguments?: number;
}

const FUNCTIONS: readonly RankFunction[] = [
  { name: RANK_FUNCTION, weigh: unweighed, arguments: 0 },
  { name: BM25_FUNCTION, weigh: bm25Weights },
];

/** What one SQLite module's connections share: the functions installed in its WASM table, and what they call. */
interface ModuleFunctions {
  installed: Map<string, number>;
  calls: Fts5Calls;
}
const modules = new WeakMap<Sqlite3Static, ModuleFunctions>();

export function registerRankFunction(sqlite3: Sqlite3Static, db: Database): void {
  const { capi, wasm } = sqlite3;
  const api = fts5Api(sqlite3, db);
  let module = modules.get(sqlite3);
  if (module === undefined) {
    const calls = fts5Calls(sqlite3);
    const installed = new Map(
      FUNCTIONS.map((fn) => [fn.name, wasm.installFunction('v(pppip)', rankFunction(sqlite3, calls, fn))]),
    );
    module = { installed, calls };
    modules.set(sqlite3, module);
  }
  const xCreateFunction = wasm.functionEntry(wasm.peekPtr(api + FTS5_API.xCreateFunction) as number) as WasmFunction;
  for (const [functionName, fn] of module.installed) {
    const name = wasm.allocCString(functionName, false);
    try {
      const rc = xCreateFunction(api, name, 0, fn, 0);
      if (rc !== capi.SQLITE_OK)
        throw new Error(`FTS5 refused the ${functionName} function (${capi.sqlite3_js_rc_str(rc)})`);
    } finally {
      wasm.dealloc(name);
    }
  }
  // The same C function in every connection of the module; looked for in each, so that a build where it is not
  // where it is looked for fails when the store opens, not in a search.
  module.calls.bm25 = bm25Function(sqlite3, api);
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
 * FTS5's bm25 C function, from the connection's list of auxiliary functions. fts5_api is the first member of
 * FTS5's Fts5Global, which holds the list's head a few fields on; that head is the function registered last, one
 * of the store's: recognised by its back pointer and name, then the list is followed to bm25.
 */
function bm25Function({ wasm }: Sqlite3Static, api: number): WasmFunction {
  const end = wasm.heap8u().length - AUXILIARY.pNext - 4;
  const isAuxiliary = (pointer: number) =>
    pointer > 0 && pointer % 4 === 0 && pointer < end && wasm.peekPtr(pointer + AUXILIARY.pGlobal) === api;
  const name = (auxiliary: number) => wasm.cstrToJs(wasm.peekPtr(auxiliary + AUXILIARY.zFunc) as number);
  for (let offset = 4; offset < GLOBAL_SEARCHED_BYTES; offset += 4) {
    let auxiliary = wasm.peekPtr(api + offset) as number;
    if (!isAuxiliary(auxiliary) || !FUNCTIONS.some((f) => f.name === name(auxiliary))) continue;
    for (; isAuxiliary(auxiliary); auxiliary = wasm.peekPtr(auxiliary + AUXILIARY.pNext) as number)
      if (name(auxiliary) === 'bm25')
        return wasm.functionEntry(wasm.peekPtr(auxiliary + AUXILIARY.xFunc) as number) as WasmFunction;
  }
  throw new Error("FTS5's bm25 function is not where src/store/fts5-rank.ts looks for it (another SQLite build?)");
}

/** What the ranking functions call besides FTS5's API: bm25's C function, and its IDF. */
interface Fts5Calls {
  bm25?: WasmFunction;
  /** bm25's IDF of a phrase in `hits` of `rows` rows, computed as fts5_aux.c computes it. */
  idf(rows: number, hits: number): number;
}

function fts5Calls(sqlite3: Sqlite3Static): Fts5Calls {
  // bm25's log() is SQLite's ln(), the same C function in the same WASM module; on a connection of its own, which
  // no store statement ever holds.
  let logStatement: PreparedStatement | undefined;
  return {
    idf(rows, hits) {
      logStatement ??= new sqlite3.oo1.DB(':memory:').prepare('SELECT ln((?1 - ?2 + 0.5) / (?2 + 0.5))');
      try {
        logStatement.bind([rows, hits]).step();
        const value = logStatement.get(0) as number;
        return value <= 0.0 ? COMMON_IDF : value;
      } finally {
        logStatement.reset(true);
      }
    },
  };
}

/** An FTS5 call's return code, thrown if it is not SQLITE_OK (the query then fails with it). */
function ok(rc: number): void {
  if (rc !== 0) throw new RankError(rc);
}

/**
 * An auxiliary function: (Fts5ExtensionApi*, Fts5Context*, sqlite3_context*, nVal, sqlite3_value**). On its
 * query's first row it writes bm25's Fts5Bm25Data (the table's average row length, the phrases' IDFs from
 * `weigh`, room for bm25's frequencies) as its auxdata, freed by FTS5 when the query ends; on every row it then
 * runs bm25's C function, which finds that record and scores the row.
 */
function rankFunction(sqlite3: Sqlite3Static, calls: Fts5Calls, { name, weigh, arguments: expected }: RankFunction) {
  const { capi, wasm } = sqlite3;
  let api: ExtensionApi | undefined;
  // An out-parameter (8-byte aligned, for 64-bit counts).
  const scratch = wasm.alloc(8);

  const writeBm25Data = (a: ExtensionApi, pFts: number, args: number[]): void => {
    ok(a.xRowCount(pFts, scratch));
    const rows = Number(wasm.peek64(scratch));
    ok(a.xColumnTotalSize(pFts, -1, scratch));
    const tokens = Number(wasm.peek64(scratch));
    const idfs = weigh(a.xPhraseCount(pFts), rows, args, calls.idf);
    const data = wasm.alloc(BM25_DATA.size + 16 * idfs.length);
    const aIDF = data + BM25_DATA.size;
    wasm.poke32(data + BM25_DATA.nPhrase, idfs.length);
    wasm.poke(data + BM25_DATA.avgdl, tokens / rows, 'f64');
    wasm.pokePtr(data + BM25_DATA.aIDF, aIDF);
    wasm.pokePtr(data + BM25_DATA.aFreq, aIDF + 8 * idfs.length);
    for (const [i, idf] of idfs.entries()) wasm.poke(aIDF + 8 * i, idf, 'f64');
    ok(a.xSetAuxdata(pFts, data, capi.SQLITE_WASM_DEALLOC as number));
  };

  return (xApi: number, pFts: number, pCtx: number, nVal: number, apVal: number): void => {
    try {
      if (expected !== undefined && nVal !== expected) throw new Error(`${name} takes no arguments but its table`);
      api ??= Object.fromEntries(
        Object.entries(EXTENSION_API).map(([entry, offset]) => [
          entry,
          wasm.functionEntry(wasm.peekPtr(xApi + offset) as number) as WasmFunction,
        ]),
      ) as ExtensionApi;
      if (!api.xGetAuxdata(pFts, 0)) {
        const args = Array.from({ length: nVal }, (_, i) =>
          capi.sqlite3_value_double(wasm.peekPtr(apVal + 4 * i) as number),
        );
        writeBm25Data(api, pFts, args);
      }
      calls.bm25!(xApi, pFts, pCtx, 0, 0);
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
 * alone can score (no `phraseRows`), else store_bm25 (bm25's values) given `phraseRows`, how many rows hold each
 * phrase that scores (search-counts.ts), whose IDFs then weigh the phrases against each other.
 */
export function rankExpression(table: string, alias: string, phraseRows?: readonly number[]): Condition {
  if (!phraseRows) return { sql: `${RANK_FUNCTION}(${alias}.${table})`, params: [] };
  return {
    sql: `${BM25_FUNCTION}(${alias}.${table}, ${phraseRows.map(() => '?').join(', ')})`,
    params: [...phraseRows],
  };
}

/**
 * Values handed to SQLite as one JSON text, which a statement then reads with
 * json_each: far cheaper than binding each value through the WASM boundary
 * when there are many (writes.ts, search-index.ts).
 */

/** JSON.stringify's escape of a lone surrogate (lowercase hex), after an even number of backslashes. */
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/**
 * `value` as JSON text whose strings SQLite reads back exactly as it stores a
 * bound string. A bound string is encoded by TextEncoder, which writes a lone
 * surrogate as U+FFFD; SQLite's JSON reader would turn the escape `\ud800`
 * into three bytes that are not UTF-8. So such escapes become U+FFFD here.
 */
export function sqliteJson(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes('\\ud') ? json.replace(LONE_SURROGATE_ESCAPE, '$1\ufffd') : json;
}

/**
 * The items of a text input, in order, as the pieces of text.ts arrive: each
 * record an item (documents one a line, one after another, or in an array),
 * or the streamed form's lines gathered into the trajectories they make. A
 * record that is not JSON becomes a refused item with its line; the rest go on.
 */
import type { Issue } from '../../errors.js';
import { isRecord } from '../../schema/json.js';
import { recordKind } from './records.js';
import type { TextPiece, ValuePiece } from './text.js';

/** One item for the store, or why the text at `line` is none; `end` is how far the input was read. */
export type ImportItem = { index: number; line: number; end: number } & (
  | { item: unknown /** Lines of a streamed trajectory left out of it (not JSON, not a step). */; lost?: number }
  | { issues: Issue[] }
);

/** What an input yields: its items, and warnings about the input itself (a line left out of a trajectory). */
export type ImportPiece = ImportItem | { warning: Issue };

const PROBLEMS = {
  'cut-off': 'is cut off: the input ends inside it',
  'not-array': 'is not a JSON array',
  'after-end': 'follows the end of the array',
} as const;

/** Each record one item: JSONL, one or more documents, the elements of an array. */
export function* recordItems(pieces: Iterable<ValuePiece>): Generator<ImportPiece> {
  let index = 0;
  for (const piece of pieces) {
    const { line, end } = piece;
    if (piece.problem === 'after-end' || piece.problem === 'not-array') {
      yield { warning: { path: `line ${line}`, message: `${PROBLEMS[piece.problem]}; left out` } };
      continue;
    }
    const parsed = piece.problem ? { error: PROBLEMS[piece.problem] } : parse(piece.text);
    yield 'error' in parsed
      ? { index: index++, line, end, issues: [{ path: '', message: parsed.error }] }
      : { index: index++, line, end, item: parsed.value };
  }
}

/**
 * The streamed form the original tool wrote: a header line `{"__header__":
 * true, schema_version, session_id, agent, created_at}` (the document's root,
 * kept as written but for `__header__`), then one step a line. Steps with no
 * header before them make a trajectory of their own (its id then comes from
 * its content). Another header starts the next trajectory. A line that is not
 * JSON, or not a step, is left out with a warning: the rest of the run is kept.
 */
export function* streamItems(pieces: Iterable<TextPiece>): Generator<ImportPiece> {
  let index = 0;
  let current: { root: Record<string, unknown>; steps: unknown[]; line: number; lost: number } | null = null;
  let end = 0;
  function* finish(): Generator<ImportPiece> {
    if (!current) return;
    const { root, steps, line, lost } = current;
    current = null;
    yield { index: index++, line, end, item: { ...root, steps }, ...(lost > 0 ? { lost } : {}) };
  }
  for (const piece of pieces) {
    const parsed = parse(piece.text);
    const value = 'value' in parsed ? parsed.value : undefined;
    const kind = recordKind(value);
    if (kind === 'header' && isRecord(value)) {
      yield* finish();
      const { __header__: _, ...root } = value;
      current = { root, steps: [], line: piece.line, lost: 0 };
    } else if (kind === 'step') {
      current ??= { root: {}, steps: [], line: piece.line, lost: 0 };
      current.steps.push(value);
    } else {
      if (current) current.lost++;
      const what = 'error' in parsed ? parsed.error : 'is not a step of the streamed form';
      yield { warning: { path: `line ${piece.line}`, message: `${what}; left out of the trajectory` } };
    }
    end = piece.end;
  }
  yield* finish();
}

function parse(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `is not valid JSON (${(error as Error).message})` };
  }
}

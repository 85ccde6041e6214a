/**
 * Which format an input is, from its first bytes and its first record:
 *
 * - `sqlite`: a SQLite file (its magic header), merged as a snapshot;
 * - an agent log one of src/importers/ recognises (Claude Code, Codex, Inspect AI, OTel GenAI);
 * - `atif-array`: a JSON array of documents;
 * - `atif-stream`: the streamed form (a `__header__` line, or none, then one step a line);
 * - `jsonl`: one document a line (the store's own export);
 * - `atif`: one document (or several one after another) written over several lines.
 *
 * Detection reads no further than the first record, and writes nothing: an
 * input that is none of these is refused before anything is saved.
 */
import { TrajectoryStoreError } from '../../errors.js';
import { detectAgentLog } from '../../importers/index.js';
import type { ImportFormat } from '../../schema/query.js';
import { describeValue, recordKind } from './records.js';
import type { InputSource } from './source.js';
import { headText, jsonValues, lines } from './text.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';
/** Lines looked at for a first record when the input's first JSON value does not parse. */
const LINES_TRIED = 20;

/** The detected format; `empty` when the input holds nothing but white space. */
export type Detected = ImportFormat | 'empty';

export function detectFormat(source: InputSource): Detected {
  const head = source.slice(0, Math.min(16, source.size));
  const magic = typeof head === 'string' ? head : String.fromCharCode(...head);
  if (magic === SQLITE_MAGIC) return 'sqlite';
  const probe = source.slice(0, Math.min(4096, source.size));
  const agentLog = detectAgentLog({ name: source.name, content: probe });
  if (agentLog) return agentLog.format;
  const text = headText(source, 256).trimStart();
  if (text === '') return 'empty';
  if (text.startsWith('[')) return detectArray(source);
  if (text.startsWith('{')) return detectObjects(source);
  throw unknownFormat(`text that is not JSON (it begins ${JSON.stringify(text.slice(0, 40))})`);
}

function detectArray(source: InputSource): Detected {
  const first = jsonValues(source, 'array').next();
  if (first.done || first.value.problem) return 'atif-array'; // empty, or cut off: the import says which
  const value = parseOrUndefined(first.value.text);
  if (value === undefined || recordKind(value) === 'item') return 'atif-array';
  throw unknownFormat(`a JSON array whose first element is ${describeValue(value)}`);
}

/** One JSON value per line (JSONL, the streamed form), or one written over several lines. */
function detectObjects(source: InputSource): Detected {
  const first = jsonValues(source, 'top').next();
  const value = first.done || first.value.problem ? undefined : parseOrUndefined(first.value.text);
  if (value !== undefined) return formatOf(value, !first.done && first.value.text.includes('\n'));
  // The first value is damaged: the first line that parses decides (a JSONL file whose first line is cut).
  let tried = 0;
  for (const line of lines(source)) {
    const parsed = parseOrUndefined(line.text);
    if (parsed !== undefined) return formatOf(parsed, false);
    if (++tried === LINES_TRIED) break;
  }
  throw unknownFormat(`text that is not JSON (no value in its first ${LINES_TRIED} lines parses)`);
}

function formatOf(first: unknown, multiline: boolean): ImportFormat {
  const kind = recordKind(first);
  if (kind === 'header' || kind === 'step') return 'atif-stream';
  if (kind === 'item') return multiline ? 'atif' : 'jsonl';
  throw unknownFormat(describeValue(first));
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The refusal of an input in no known format; its one issue says what was found. */
export function unknownFormat(found: string): TrajectoryStoreError {
  return new TrajectoryStoreError(
    'unknown_format',
    `importTrajectories: not a format it reads. Found ${found}; it reads ATIF documents (.json, a JSON array, ` +
      'JSONL), the streamed form, SQLite snapshots, and Claude Code, Codex, Inspect AI and OpenTelemetry GenAI logs',
    { issues: [{ path: '', message: `found ${found}` }] },
  );
}

/**
 * A document checked as untrusted input and turned into the record the store
 * writes, or every reason it cannot be stored. The one path for saves,
 * insertMany and snapshot imports alike, so that they accept and refuse the
 * same documents and write the same columns.
 */
import type { Issue } from '../errors.js';
import { atifFindings } from '../schema/atif-findings.js';
import { jsonForStorage, NotJsonError } from '../schema/exact-json.js';
import { check, joinPath, zodIssues } from '../schema/issues.js';
import { idProblem, isRecord } from '../schema/json.js';
import { TestGenDataSchema } from '../schema/testgen.js';
import { atifRecord, testgenRecord, type TrajectoryRecord } from './documents.js';

/** An item ready to write with its warnings, or why it cannot be stored. */
export type Prepared = { record: TrajectoryRecord; warnings: Issue[] } | { issues: Issue[] };

export interface PrepareOptions {
  /** Where the document sits in the caller's input; every issue's path starts there. */
  path?: string;
  /** The id to store it under instead of its own (a `keep-both` copy carried by an export or a snapshot). */
  id?: string;
}

export interface PrepareAtifOptions extends PrepareOptions {
  /** Refuse it for any warning too. */
  strict?: boolean;
  /** Its JSON text as it was stored: kept as it is (it parsed, and writing it again could only lose something). */
  storedJson?: string;
}

/** An ATIF document as the record to write, or its refusals (with `strict`, its warnings refuse it too). */
export function prepareAtif(input: unknown, options: PrepareAtifOptions = {}): Prepared {
  const { path = '', strict = false } = options;
  const stored =
    options.storedJson === undefined ? documentJson(input, path) : { json: options.storedJson, value: input };
  if ('issues' in stored) return stored;
  const doc = stored.value;
  const { refusals, warnings } = atifFindings(doc);
  if (refusals.length > 0) return { issues: underPath(path, refusals) };
  if (strict && warnings.length > 0) return { issues: underPath(path, warnings) };
  const record = atifRecord(doc as Record<string, unknown>, stored.json, warnings.length === 0);
  if (options.id !== undefined) record.id = options.id;
  return { record, warnings };
}

/** A testgen session's data (the API's camelCase fields) as the record to write, or what is wrong with it. */
export function prepareTestGen(input: unknown, options: PrepareOptions = {}): Prepared {
  const { path = '' } = options;
  const stored = documentJson(input, path);
  if ('issues' in stored) return stored;
  const parsed = check(TestGenDataSchema, stored.value);
  if (!parsed.success) return { issues: zodIssues(parsed.error, path) };
  const record = testgenRecord(parsed.data);
  if (options.id !== undefined) record.id = options.id;
  return { record, warnings: [] };
}

/**
 * An insertMany item: an ATIF trajectory, `{testgen: data}`, or either with
 * the id it was stored under (`{id, trajectory}`, `{id, testgen}`), which is
 * how an export carries a copy kept under a fresh id.
 */
export function prepareItem(item: unknown, strict = false): Prepared {
  if (isRecord(item) && ('testgen' in item || ('trajectory' in item && !('steps' in item)))) {
    const body = 'testgen' in item ? 'testgen' : 'trajectory';
    const extra = Object.keys(item).filter((k) => k !== body && k !== 'id');
    if (extra.length > 0) return { issues: extra.map((k) => ({ path: k, message: `unexpected beside ${body}` })) };
    const idIssue = 'id' in item ? idProblem(item.id) : null;
    if (idIssue) return { issues: [{ path: 'id', message: idIssue }] };
    const id = item.id as string | undefined;
    return body === 'testgen'
      ? prepareTestGen(item.testgen, { path: 'testgen', id })
      : prepareAtif(item.trajectory, { strict, id });
  }
  return prepareAtif(item, { strict });
}

function underPath(path: string, issues: Issue[]): Issue[] {
  return path === '' ? issues : issues.map((issue) => ({ ...issue, path: joinPath(path, issue.path) }));
}

/**
 * A document's exact JSON text and the value it reads back as, which is what is then checked and summarised
 * (a `toJSON` method, a Date's say, makes them differ from the value handed in); or the refusal of what JSON
 * cannot hold (a cycle, NaN, a function...). A value that is no object at all is left to the checks, which
 * say what was expected.
 */
function documentJson(input: unknown, path: string): { json: string; value: unknown } | { issues: Issue[] } {
  if (!isRecord(input)) return { json: '', value: input };
  try {
    return jsonForStorage(input);
  } catch (error) {
    if (!(error instanceof NotJsonError)) throw error;
    return { issues: [{ path: joinPath(path, error.path), message: `cannot be stored as JSON: ${error.reason}` }] };
  }
}

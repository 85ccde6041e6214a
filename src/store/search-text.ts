/**
 * The text the search index holds for a document, extracted once, in JS, when
 * it is saved (migrations/010 removed the SQL view that walked the JSON).
 *
 * What is left out is decided by *place* in the ATIF structure, never by key
 * name at any depth: a step's `timestamp`, `source` and `step_id`, a tool
 * call's `tool_call_id`, a result's `source_call_id`, a content part's `type`
 * and media type, the root's `schema_version`, `session_id` and
 * `trajectory_id`, a sub-agent reference's ids. Those only identify or date
 * things (ids are found with `id:...` or the sessionId filter instead). Under
 * any other place every string is text, whatever its key: a tool argument
 * named `source`, an observation field named `timestamp`, a message object's
 * fields at any depth. Numbers, booleans and keys are not text.
 *
 * The walk keeps its own stack, so a document nested any number of levels
 * deep loses nothing (SQLite's JSON functions stop at 1,000).
 */
import { isRecord } from '../schema/json.js';
import { UNSEGMENTED_SCRIPT } from './search-query.js';

export interface SearchText {
  /** Every text value, one a line: the word index (trajectory_search). */
  body: string;
  /** The values written in scripts without spaces between words: the trigram index; null when there are none. */
  unsegmented: string | null;
}

/** Where a value sits in a document: what its members are, and which of them are left out. */
type Place =
  | 'root'
  | 'step'
  | 'toolCall'
  | 'observation'
  | 'result'
  | 'content'
  | 'part'
  | 'partSource'
  | 'ref'
  | 'testgen'
  | 'free'
  /** Lists whose items have a place of their own. */
  | 'steps'
  | 'toolCalls'
  | 'results'
  | 'refs'
  | 'subagents';

const SKIP = null;

/** The place of each known member of an object at a place; members not named are `free` text. */
const MEMBERS: Partial<Record<Place, Readonly<Record<string, Place | typeof SKIP>>>> = {
  root: {
    schema_version: SKIP,
    session_id: SKIP,
    trajectory_id: SKIP,
    continued_trajectory_ref: SKIP,
    steps: 'steps',
    subagent_trajectories: 'subagents',
  },
  step: {
    step_id: SKIP,
    timestamp: SKIP,
    source: SKIP,
    message: 'content',
    tool_calls: 'toolCalls',
    observation: 'observation',
  },
  toolCall: { tool_call_id: SKIP },
  observation: { results: 'results' },
  result: { source_call_id: SKIP, content: 'content', subagent_trajectory_ref: 'refs' },
  part: { type: SKIP, source: 'partSource' },
  partSource: { media_type: SKIP },
  ref: { session_id: SKIP, trajectory_id: SKIP },
  testgen: { session_id: SKIP, started_at: SKIP, completed_at: SKIP, status: SKIP },
};

/** The place of the items of a list at a place. */
const ITEMS: Partial<Record<Place, Place>> = {
  steps: 'step',
  toolCalls: 'toolCall',
  results: 'result',
  refs: 'ref',
  subagents: 'root',
  content: 'part',
};

function extract(doc: unknown, rootPlace: Place): SearchText {
  const body: string[] = [];
  const unsegmented: string[] = [];
  // Pushed in reverse, so that text comes out in document order (snippets read naturally).
  const values: unknown[] = [doc];
  const places: Place[] = [rootPlace];
  while (values.length > 0) {
    const value = values.pop();
    const place = places.pop()!;
    if (typeof value === 'string') {
      if (value === '') continue;
      body.push(value);
      if (UNSEGMENTED_SCRIPT.test(value)) unsegmented.push(value);
    } else if (Array.isArray(value)) {
      const itemPlace = ITEMS[place] ?? 'free';
      for (let i = value.length - 1; i >= 0; i--) {
        values.push(value[i]);
        places.push(itemPlace);
      }
    } else if (isRecord(value)) {
      // An object where a list was expected (or content as an object) is read as free text.
      const members = MEMBERS[place];
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const memberPlace = members && key in members ? members[key]! : 'free';
        if (memberPlace === SKIP) continue;
        values.push(value[key]);
        places.push(memberPlace);
      }
    }
  }
  return { body: body.join('\n'), unsegmented: unsegmented.length > 0 ? unsegmented.join('\n') : null };
}

/** The searchable text of an ATIF document (any shape the store keeps). */
export function atifSearchText(doc: unknown): SearchText {
  return extract(doc, 'root');
}

/** The searchable text of a stored testgen document (snake_case): the task, tests, reflections, uncertainties... */
export function testgenSearchText(doc: unknown): SearchText {
  return extract(doc, 'testgen');
}

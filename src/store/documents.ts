/**
 * From a validated document to the row the store writes: identity, the
 * summary columns (rollups) and the stored JSON; and back from a stored
 * testgen document to the data it was saved from.
 */
import { isTrajectoryStatus, type TrajectoryStatus } from '../schema/status.js';
import { isRecord } from '../schema/json.js';
import type { TestGenData } from '../schema/testgen.js';
import { normalizeTimestamp } from '../schema/timestamp.js';
import type { TrajectoryColumns } from '../contract/results.js';
import { jsonText } from '../schema/exact-json.js';
import { atifSearchText, testgenSearchText, type SearchText } from './search-text.js';

/** What the store writes for one document. */
export interface TrajectoryRecord extends TrajectoryColumns {
  /** The document exactly as it was given, as JSON text. */
  json: string;
  /** What the search index holds for it, extracted from the document (search-text.ts). */
  searchText: SearchText;
  testgen?: TestGenColumns;
}

export interface TestGenColumns {
  taskId: string;
  taskDescription: string;
  totalTests: number;
  totalRounds: number;
  categoryRounds: string;
  comprehensivenessScore: number | null;
  totalTokensUsed: number;
  durationMs: number;
  tests: string;
  reflections: string;
  environment: string | null;
  uncertainties: string;
  error: string | null;
}

/** What the original tool stored in `schema_version` and `agent_name` for a testgen row. */
export const TESTGEN_SCHEMA_VERSION = 'testgen-v1.0';
export const TESTGEN_AGENT_NAME = 'testgen';

/** A number for a rollup: finite and not negative, else not counted. */
function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** An id as documents write it: a non-empty string, or a number (some producers write one). */
function idValue(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}

/**
 * A stable id from a document's JSON text, for documents that carry neither
 * trajectory_id nor session_id: the same document always gets the same id.
 * Two 32-bit FNV-1a lanes with different seeds over the UTF-16 code units.
 */
export function contentId(json: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `atif-${hex(a)}${hex(b)}`;
}

/** The store's identity of an ATIF document: its trajectory_id (v1.7), else its session_id, else one from its content. */
export function atifId(doc: Record<string, unknown>, json: string): string {
  return idValue(doc.trajectory_id) ?? idValue(doc.session_id) ?? contentId(json);
}

/**
 * Rollups of an ATIF document, read defensively: the document may depart
 * from the spec in any way short of a refusal, and a field of the wrong type
 * simply does not count. Tokens and cost come from `final_metrics` when it
 * reports them, else from the steps' metrics; null when neither does.
 * Timestamps are normalised to UTC so that they order and group correctly.
 */
export function atifRecord(doc: Record<string, unknown>, json: string, conformant = true): TrajectoryRecord {
  let first: string | null = null;
  let last: string | null = null;
  let stepTokens: number | null = null;
  let stepCost: number | null = null;
  let firstAgentModel: string | null = null;
  const steps = Array.isArray(doc.steps) ? doc.steps : [];
  for (const step of steps) {
    if (!isRecord(step)) continue;
    const at = typeof step.timestamp === 'string' ? normalizeTimestamp(step.timestamp) : null;
    if (at && (first === null || at < first)) first = at;
    if (at && (last === null || at > last)) last = at;
    const m = isRecord(step.metrics) ? step.metrics : {};
    const prompt = count(m.prompt_tokens);
    const completion = count(m.completion_tokens);
    if (prompt !== null || completion !== null) stepTokens = (stepTokens ?? 0) + (prompt ?? 0) + (completion ?? 0);
    const cost = count(m.cost_usd);
    if (cost !== null) stepCost = (stepCost ?? 0) + cost;
    if (step.source === 'agent' && firstAgentModel === null) firstAgentModel = text(step.model_name);
  }
  const fm = isRecord(doc.final_metrics) ? doc.final_metrics : {};
  const totalPrompt = count(fm.total_prompt_tokens);
  const totalCompletion = count(fm.total_completion_tokens);
  const reportedTokens =
    totalPrompt !== null || totalCompletion !== null ? (totalPrompt ?? 0) + (totalCompletion ?? 0) : null;
  const agent = isRecord(doc.agent) ? doc.agent : {};
  return {
    id: atifId(doc, json),
    kind: 'atif',
    sessionId: idValue(doc.session_id),
    schemaVersion: typeof doc.schema_version === 'string' ? doc.schema_version : '',
    agentName: typeof agent.name === 'string' ? agent.name : '',
    agentVersion: text(agent.version),
    modelName: text(agent.model_name) ?? firstAgentModel,
    stepCount: steps.length,
    firstStepAt: first,
    lastStepAt: last,
    // A sum past the largest number (1.8e308) is Infinity: no real figure, and Infinity - Infinity in the stats
    // rollup is NaN, which SQLite stores as NULL. Unknown, then, as a figure of the wrong type is.
    totalCostUsd: count(count(fm.total_cost_usd) ?? stepCost),
    totalTokens: count(reportedTokens ?? stepTokens),
    status: atifStatus(doc),
    conformant,
    json,
    searchText: atifSearchText(doc),
  };
}

/**
 * An ATIF run's status: what its root `extra.status` says when that is one of
 * the vocabulary's words (the HUD recorder writes it), else `complete`.
 */
function atifStatus(doc: Record<string, unknown>): TrajectoryStatus {
  const said = isRecord(doc.extra) ? doc.extra.status : undefined;
  return isTrajectoryStatus(said) ? said : 'complete';
}

/** camelCase field of the API -> snake_case key of the stored document (the original tool's form). */
const TESTGEN_DOCUMENT_KEYS = {
  sessionId: 'session_id',
  taskId: 'task_id',
  taskDescription: 'task_description',
  modelName: 'model_name',
  status: 'status',
  error: 'error',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  totalTests: 'total_tests',
  totalRounds: 'total_rounds',
  categoryRounds: 'category_rounds',
  comprehensivenessScore: 'comprehensiveness_score',
  totalTokensUsed: 'total_tokens_used',
  durationMs: 'duration_ms',
  tests: 'tests',
  reflections: 'reflections',
  environment: 'environment',
  uncertainties: 'uncertainties',
} as const satisfies Record<keyof TestGenData, string>;

export function testgenDocument(data: TestGenData): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(TESTGEN_DOCUMENT_KEYS)) {
    const value = data[field as keyof TestGenData];
    if (value !== undefined) doc[key] = value;
  }
  return doc;
}

/** The inverse of `testgenDocument`; also reads the documents the original tool stored. */
export function testgenFromDocument(doc: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(TESTGEN_DOCUMENT_KEYS)) {
    if (doc[key] !== undefined) data[field] = doc[key];
  }
  return data;
}

/**
 * The tokens a testgen session used, null when unknown. The seed's schema demands a number, and a session
 * that has not completed (running, failed, stopped) writes 0 for "none reported yet": that 0 is unknown.
 */
function testgenTokens(data: TestGenData): number | null {
  return data.totalTokensUsed === 0 && (data.status ?? 'complete') !== 'complete' ? null : data.totalTokensUsed;
}

export function testgenRecord(data: TestGenData): TrajectoryRecord {
  const startedAt = data.startedAt ? normalizeTimestamp(data.startedAt) : null;
  const completedAt = data.completedAt ? normalizeTimestamp(data.completedAt) : null;
  const document = testgenDocument(data);
  return {
    id: data.sessionId,
    kind: 'testgen',
    sessionId: data.sessionId,
    schemaVersion: TESTGEN_SCHEMA_VERSION,
    agentName: TESTGEN_AGENT_NAME,
    agentVersion: null,
    modelName: data.modelName ?? null,
    stepCount: 0,
    firstStepAt: startedAt,
    lastStepAt: completedAt ?? startedAt,
    totalCostUsd: null,
    totalTokens: testgenTokens(data),
    status: data.status ?? 'complete',
    conformant: true,
    json: jsonText(document),
    searchText: testgenSearchText(document),
    testgen: {
      taskId: data.taskId,
      taskDescription: data.taskDescription,
      totalTests: data.totalTests,
      totalRounds: data.totalRounds,
      categoryRounds: JSON.stringify(data.categoryRounds),
      comprehensivenessScore: data.comprehensivenessScore,
      totalTokensUsed: data.totalTokensUsed,
      durationMs: data.durationMs,
      tests: JSON.stringify(data.tests),
      reflections: JSON.stringify(data.reflections),
      environment: data.environment === undefined ? null : JSON.stringify(data.environment),
      uncertainties: JSON.stringify(data.uncertainties),
      error: data.error ?? null,
    },
  };
}

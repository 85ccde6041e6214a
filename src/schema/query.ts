/**
 * What callers pass to list, search, stats and export. Strict: a misspelt
 * filter is an error, not a filter silently ignored.
 */
import { z } from 'zod';
import { TrajectoryStatusSchema } from './status.js';
import { normalizeTimestamp } from './timestamp.js';

export const ORDER_BY = [
  'createdAt',
  'updatedAt',
  'firstStepAt',
  'lastStepAt',
  'stepCount',
  'totalTokens',
  'totalCostUsd',
  'comprehensivenessScore',
] as const;

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

const Instant = z.string().transform((s, ctx) => {
  const normalized = normalizeTimestamp(s);
  if (normalized !== null) return normalized;
  ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 timestamp' });
  return z.NEVER;
});

export const TrajectoryFilterSchema = z.strictObject({
  sessionId: z.string().optional(),
  agentName: z.string().optional(),
  modelName: z.string().optional(),
  schemaVersion: z.string().optional(),
  taskId: z.string().optional(),
  /** `atif` or `testgen` rows only. */
  kind: z.enum(['atif', 'testgen']).optional(),
  /** `running`, `complete`, `failed` or `incomplete` rows only (schema/status.ts). */
  status: TrajectoryStatusSchema.optional(),
  /** Only trajectories that follow the ATIF spec (`true`), or only those saved with warnings (`false`). */
  conformant: z.boolean().optional(),
  /** Inclusive bounds on the time a trajectory was first saved. */
  createdFrom: Instant.optional(),
  createdTo: Instant.optional(),
  /**
   * Inclusive bounds on the time a run started: its first step, else when it was first saved (the day
   * getStats files it under). Bounds on whole UTC days (`…T00:00:00.000Z` to `…T23:59:59.999Z`) are
   * answered from the stats rollup.
   */
  startedFrom: Instant.optional(),
  startedTo: Instant.optional(),
  minCostUsd: z.number().optional(),
  maxCostUsd: z.number().optional(),
  /** Bounds on the testgen comprehensiveness score; rows without a score never match. */
  minScore: z.number().optional(),
  maxScore: z.number().optional(),
});

export const TrajectoryQuerySchema = TrajectoryFilterSchema.extend({
  orderBy: z.enum(ORDER_BY).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.int().min(1).max(MAX_PAGE_SIZE).optional(),
  /** The `nextCursor` of the previous page, with the same filters and order. */
  cursor: z.string().optional(),
});

export const EXPORT_FORMATS = ['jsonl', 'json', 'csv'] as const;

/** Which trajectories an export takes: the filters, and optionally what a full-text search finds. */
export const SelectionSchema = TrajectoryFilterSchema.extend({
  text: z.string().optional(),
});

export const ExportOptionsSchema = SelectionSchema.extend({
  format: z.enum(EXPORT_FORMATS),
  /**
   * CSV: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so that
   * a spreadsheet shows it as text instead of running it as a formula (CSV injection). Off by default: the
   * cells are then exactly the stored values. The app's CSV download turns it on.
   */
  defuseFormulas: z.boolean().optional(),
  orderBy: z.enum(ORDER_BY).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});

/** exportSnapshot: the whole database, or only a selection (then a new file holding just those rows). */
export const SnapshotOptionsSchema = SelectionSchema.extend({
  onProgress: z.function().optional(),
});

export const ON_CONFLICT = ['replace', 'skip', 'keep-both'] as const;

/**
 * Saving documents. `onConflict` names another rule than the store's identity
 * rule (src/store/identity.ts) for an id that is taken; `strict` refuses any
 * document that departs from the ATIF spec instead of storing it with warnings.
 */
export const InsertOptionsSchema = z.strictObject({
  strict: z.boolean().optional(),
  onConflict: z.enum(ON_CONFLICT).optional(),
});

export const InsertManyOptionsSchema = InsertOptionsSchema.extend({
  onProgress: z.function().optional(),
});

/**
 * The formats importTrajectories reads (src/store/import/detect.ts): one ATIF
 * document (or several one after another), a JSON array of them, JSONL (the
 * store's export), the streamed form, a SQLite snapshot, and agent logs.
 */
export const IMPORT_FORMATS = [
  'atif',
  'atif-array',
  'jsonl',
  'atif-stream',
  'sqlite',
  'claude-code',
  'codex',
  'inspect-ai',
  'otel-genai',
] as const;

export const ImportTrajectoriesOptionsSchema = InsertManyOptionsSchema.extend({
  format: z.enum(IMPORT_FORMATS).optional(),
  /** The file's name, where the input does not carry one (a File does): some agent logs are known by it. */
  name: z.string().optional(),
});

export const ImportOptionsSchema = z.strictObject({
  mode: z.enum(['replace', 'merge']),
  onProgress: z.function().optional(),
});

export type TrajectoryFilter = z.input<typeof TrajectoryFilterSchema>;
export type TrajectoryQuery = z.input<typeof TrajectoryQuerySchema>;
export type ParsedQuery = z.output<typeof TrajectoryQuerySchema>;
export type OrderBy = (typeof ORDER_BY)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportOptions = z.input<typeof ExportOptionsSchema>;
export type Selection = z.input<typeof SelectionSchema>;

/** True when a selection names no filter and no search: the whole database. */
export function selectsEverything(selection: Selection): boolean {
  return Object.values(selection).every((value) => value === undefined);
}
export type ParsedSelection = z.output<typeof SelectionSchema> & Pick<ParsedQuery, 'orderBy' | 'order'>;
export type OnConflict = (typeof ON_CONFLICT)[number];

/** Progress of long work: `done` of `total` units (items, rows or bytes, as the method says). */
export type ProgressListener = (progress: { done: number; total: number }) => void;
export interface InsertOptions {
  /** Refuse (with `validation`) a document that departs from the ATIF spec, instead of storing it with warnings. */
  strict?: boolean;
  /** Omitted: the identity rule. `replace` overwrites, `skip` leaves, `keep-both` always stores a copy. */
  onConflict?: OnConflict;
}
export interface InsertManyOptions extends InsertOptions {
  onProgress?: ProgressListener;
}
export interface SnapshotOptions extends Selection {
  /** Told how far the snapshot is: bytes ready of the whole file, or rows copied of a selection. */
  onProgress?: ProgressListener;
}
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** What importTrajectories reads: text, bytes, or in a browser a Blob or File (read inside the store's worker). */
export type ImportInput = string | Uint8Array | Blob;
export interface ImportTrajectoriesOptions extends InsertManyOptions {
  /** Read the input as this format instead of detecting it. */
  format?: ImportFormat;
  /** The input's file name, when it is a string or bytes: some agent logs are told apart by it. */
  name?: string;
  /** Told after each batch: bytes read of the input (trajectories, for an agent log; rows, for a snapshot). */
  onProgress?: ProgressListener;
}
export interface ImportOptions {
  mode: 'replace' | 'merge';
  onProgress?: ProgressListener;
}

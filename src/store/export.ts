/**
 * exportTrajectories: everything that matches the filters (and search text),
 * as JSONL (one document a line, which insertMany takes back), a JSON array
 * of the same items, or RFC 4180 CSV of the summaries.
 */
import type { z } from 'zod';
import type { ExportOptionsSchema, ParsedSelection } from '../schema/query.js';
import type { Connection } from './connection.js';
import { filterCondition } from './filters.js';
import { orderingOf, selectPage } from './list.js';
import { exportItemJson } from './read.js';
import type { TrajectorySummary } from '../contract/results.js';
import { rowToSummary, SUMMARY_COLUMNS, SUMMARY_FROM } from './rows.js';
import { searchTrajectories } from './search.js';

type ParsedExportOptions = z.output<typeof ExportOptionsSchema>;

const BATCH = 500;

/** Calls `each` with the summary of every row the selection takes, in order, a page at a time. */
export function forEachMatch(
  conn: Connection,
  selection: ParsedSelection,
  each: (summary: TrajectorySummary) => void,
): void {
  const { text, ...query } = selection;
  let cursor: string | undefined;
  do {
    if (text !== undefined && text.trim() !== '') {
      const page = searchTrajectories(conn, text, { ...query, limit: BATCH, ...(cursor ? { cursor } : {}) });
      page.items.forEach(each);
      cursor = page.nextCursor;
    } else {
      const page = selectPage(conn, {
        columns: SUMMARY_COLUMNS,
        from: SUMMARY_FROM,
        where: filterCondition(query),
        ordering: orderingOf(query),
        limit: BATCH,
        ...(cursor ? { cursor } : {}),
      });
      for (const row of page.rows) each(rowToSummary(row));
      cursor = page.nextCursor;
    }
  } while (cursor);
}

export const CSV_COLUMNS = [
  'id',
  'kind',
  'sessionId',
  'schemaVersion',
  'agentName',
  'agentVersion',
  'modelName',
  'stepCount',
  'firstStepAt',
  'lastStepAt',
  'totalCostUsd',
  'totalTokens',
  'createdAt',
  'updatedAt',
  'taskId',
  'totalTests',
  'comprehensivenessScore',
  'status',
  'conformant',
] as const satisfies ReadonlyArray<keyof TrajectorySummary>;

/**
 * A number as written in a CSV: whole, without the noise of binary sums
 * (0.1 + 0.2 is 0.30000000000000004; a run's summed step costs end in
 * 0.2499999999999888). Twelve significant digits keep every cent of any
 * plausible cost and drop the noise, which sits near the 16th.
 */
export function numberText(value: number): string {
  return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(12)));
}

/** How a text cell that a spreadsheet would run as a formula starts (a leading tab or CR it would drop first). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180: quote a field that holds a comma, quote or line break; double the quotes inside. With `defuse`,
 * a text cell that starts like a formula gets a leading `'` (numbers are written by us and stay numbers).
 */
function csvField(value: unknown, defuse: boolean): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? numberText(value) : String(value);
  if (defuse && typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function selectionOf({ format: _format, defuseFormulas: _defuse, ...selection }: ParsedExportOptions): ParsedSelection {
  return selection;
}

export function exportTrajectories(conn: Connection, options: ParsedExportOptions): string {
  const parts: string[] = [];
  if (options.format === 'csv') {
    parts.push(CSV_COLUMNS.join(','));
    forEachMatch(conn, selectionOf(options), (summary) =>
      parts.push(CSV_COLUMNS.map((c) => csvField(summary[c], options.defuseFormulas === true)).join(',')),
    );
    return parts.map((line) => `${line}\r\n`).join('');
  }
  forEachMatch(conn, selectionOf(options), (summary) => parts.push(exportItemJson(conn, summary.id, summary.kind)));
  if (options.format === 'json') return `[${parts.join(',\n')}]\n`;
  return parts.map((line) => `${line}\n`).join('');
}

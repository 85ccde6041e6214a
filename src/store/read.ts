/** Reading whole stored documents back, exactly as they were saved. */
import type { Connection } from './connection.js';
import { testgenFromDocument } from './documents.js';
import type { StoredTrajectory } from '../contract/results.js';
import { rowToSummary, SUMMARY_COLUMNS, SUMMARY_FROM } from './rows.js';

const DOCUMENT_OF_ID = 'trajectories t JOIN trajectory_documents d ON d.seq = t.seq WHERE t.id = ?';

export function getTrajectory(conn: Connection, id: string): StoredTrajectory | null {
  const row = conn.get(
    `SELECT ${SUMMARY_COLUMNS}, d.trajectory FROM ${SUMMARY_FROM} JOIN trajectory_documents d ON d.seq = t.seq WHERE t.id = ?`,
    [id],
  );
  if (!row) return null;
  const summary = rowToSummary(row);
  const trajectory: unknown = JSON.parse(String(row.trajectory));
  if (summary.kind !== 'testgen') return { summary, trajectory };
  return { summary, trajectory, testgen: testgenFromDocument(trajectory as Record<string, unknown>) };
}

/**
 * One stored row as an item `insertMany` takes back: the ATIF document, or
 * `{"testgen": data}`. JSON text on one line.
 */
export function exportItemJson(conn: Connection, id: string, kind: string): string {
  const json = String(conn.value(`SELECT d.trajectory FROM ${DOCUMENT_OF_ID}`, [id]));
  if (kind === 'testgen')
    return JSON.stringify({ testgen: testgenFromDocument(JSON.parse(json) as Record<string, unknown>) });
  // Documents saved here are single-line already; one written elsewhere may be pretty-printed.
  return json.includes('\n') ? JSON.stringify(JSON.parse(json)) : json;
}

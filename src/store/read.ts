/** Reading whole stored documents back, exactly as they were saved. */
import { jsonText } from '../schema/exact-json.js';
import type { Connection } from './connection.js';
import { atifId, testgenFromDocument } from './documents.js';
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
 * One stored row as an item `insertMany` takes back, as JSON text on one
 * line: the ATIF document, or `{"testgen": data}`. A row stored under another
 * id than its document's own (a copy kept beside another trajectory) carries
 * its id along, `{"id": "x~2", "trajectory": ...}` or `{"id": ..., "testgen": ...}`,
 * so that importing the export gives back the same rows.
 */
export function exportItemJson(conn: Connection, id: string, kind: string): string {
  const row = conn.get<{ json: string; session_id: string | null }>(
    `SELECT d.trajectory AS json, t.session_id FROM ${DOCUMENT_OF_ID}`,
    [id],
  )!;
  const { key, body } = itemBody(row.json, kind);
  const envelope = `{"id":${JSON.stringify(id)},"${key}":${body}}`;
  if (kind === 'testgen') return id === row.session_id ? `{"testgen":${body}}` : envelope;
  // Most rows are stored under their session_id; only the others need a look at the document.
  if (id === row.session_id) return body;
  return id === atifId(JSON.parse(body) as Record<string, unknown>, body) ? body : envelope;
}

/**
 * A stored document as the body of an item `insertMany` takes: the ATIF document's JSON text on one line, or
 * the testgen data as it was given (`{"testgen": body}`).
 */
export function itemBody(json: string, kind: string): { key: 'trajectory' | 'testgen'; body: string } {
  if (kind === 'testgen') {
    return { key: 'testgen', body: jsonText(testgenFromDocument(JSON.parse(json) as Record<string, unknown>)) };
  }
  // Documents saved here are single-line already; one written elsewhere may be pretty-printed.
  return { key: 'trajectory', body: json.includes('\n') ? jsonText(JSON.parse(json)) : json };
}

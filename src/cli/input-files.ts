/**
 * What `import` reads: the files named, and inside folders (recursively) the
 * files whose names say they may hold trajectories. Each file becomes the
 * items the store takes (ATIF documents, testgen sessions) with warnings, or
 * a snapshot to merge.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue } from '../errors.js';
import { convertAgentLog } from '../importers/index.js';
import { isRecord } from '../schema/json.js';

/** Names a folder walk picks up; a file named on the command line is read whatever its name. */
const CANDIDATE = /\.(json|jsonl|eval|sqlite|sqlite3|db)$/i;
const SQLITE_MAGIC = 'SQLite format 3\u0000';

export function collectFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && CANDIDATE.test(entry.name)) files.push(path);
    }
  };
  for (const path of paths) {
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
  return files;
}

export type FileContents =
  | { kind: 'snapshot'; bytes: Uint8Array }
  | { kind: 'items'; format: string; items: unknown[]; warnings: Issue[] }
  | { kind: 'unknown'; reason: string };

export function readInputFile(path: string): FileContents {
  const buffer = readFileSync(path);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (new TextDecoder('latin1').decode(bytes.subarray(0, 16)) === SQLITE_MAGIC) return { kind: 'snapshot', bytes };
  const converted = convertAgentLog({ name: path, content: bytes });
  if (converted) {
    return { kind: 'items', format: converted.format, items: converted.trajectories, warnings: converted.warnings };
  }
  return readTrajectoryFile(path, new TextDecoder().decode(bytes));
}

/**
 * ATIF and testgen documents as this project writes them: a `.json` document
 * or array of documents; `.jsonl` with one document a line (an export), or the
 * streamed form (a `__header__` line, then one step a line).
 */
function readTrajectoryFile(path: string, text: string): FileContents {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'unknown', reason: 'the file is empty' };
  try {
    const whole: unknown = JSON.parse(trimmed);
    const items = Array.isArray(whole) ? whole : [whole];
    if (!items.some(looksLikeTrajectory)) return { kind: 'unknown', reason: 'it holds no trajectory' };
    return { kind: 'items', format: 'atif', items, warnings: [] };
  } catch {
    // not one JSON document: JSON lines
  }
  const warnings: Issue[] = [];
  const lines = trimmed.split('\n');
  const records: Array<{ line: number; value: unknown }> = [];
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      records.push({ line: index + 1, value: JSON.parse(raw) });
    } catch {
      const last = index === lines.length - 1;
      warnings.push({
        path: `line ${index + 1}`,
        message: last ? 'is cut off; skipped' : 'is not valid JSON; skipped',
      });
    }
  });
  const first = records[0]?.value;
  if (isRecord(first) && first.__header__ === true) {
    const { __header__: _, created_at: _created, ...root } = first;
    const steps = records.slice(1).map((r) => r.value);
    return { kind: 'items', format: 'atif-stream', items: [{ ...root, steps }], warnings };
  }
  if (!records.some((r) => looksLikeTrajectory(r.value))) {
    return { kind: 'unknown', reason: `it holds no trajectory${path.endsWith('.jsonl') ? ' a line' : ''}` };
  }
  return { kind: 'items', format: 'atif', items: records.map((r) => r.value), warnings };
}

function looksLikeTrajectory(value: unknown): boolean {
  return isRecord(value) && ('schema_version' in value || 'steps' in value || 'testgen' in value || 'taskId' in value);
}

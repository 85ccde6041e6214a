/** Small readers shared by the importers: text from bytes, JSON lines that survive damage, the first line. */
import type { Issue } from '../errors.js';
import { isRecord } from '../schema/json.js';
import type { LogSource } from './types.js';

const utf8 = new TextDecoder('utf-8');

export function sourceText(source: LogSource): string {
  return typeof source.content === 'string' ? source.content : utf8.decode(source.content);
}

/** The first `bytes` bytes of a file as text, for `detect`: enough for its first record or a zip's first entry name. */
export function probeHead(content: string | Uint8Array, bytes = 4096): string {
  return typeof content === 'string' ? content.slice(0, bytes) : utf8.decode(content.subarray(0, bytes));
}

export interface JsonLine {
  /** 1-based, as editors count. */
  line: number;
  record: Record<string, unknown>;
}

/**
 * Every line of JSON Lines text that is a JSON object. A damaged line is
 * skipped with a warning: the last one is usually a log cut off while being
 * written, which loses only that record.
 */
export function readJsonLines(text: string, warnings: Issue[]): JsonLine[] {
  const lines = text.split('\n');
  const records: JsonLine[] = [];
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '') return;
    const line = index + 1;
    const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      warnings.push({
        path: `line ${line}`,
        message: isLast ? 'is cut off (the log ends in the middle of a record); skipped' : 'is not valid JSON; skipped',
      });
      return;
    }
    if (!isRecord(value)) {
      warnings.push({ path: `line ${line}`, message: 'is not a JSON object; skipped' });
      return;
    }
    records.push({ line, record: value });
  });
  return records;
}

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** A JSON string parsed if it holds an object, else the string itself (tool arguments are often JSON text). */
export function parseArguments(value: unknown): Record<string, unknown> | string {
  if (isRecord(value)) return value;
  if (typeof value !== 'string') return value === undefined || value === null ? {} : { value };
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : value;
  } catch {
    return value;
  }
}

/**
 * What one JSON record of an input is, for detection and for assembling the
 * streamed form: an item the store takes (an ATIF document, `{testgen}`, or
 * either under the id an export gave it), a streamed trajectory's header, or
 * one of its steps.
 */
import { isRecord } from '../../schema/json.js';

export type RecordKind = 'item' | 'header' | 'step' | 'other';

export function recordKind(value: unknown): RecordKind {
  if (!isRecord(value)) return 'other';
  if (value.__header__ === true) return 'header';
  if ('steps' in value || 'schema_version' in value || 'testgen' in value) return 'item';
  if ('id' in value && 'trajectory' in value) return 'item';
  if ('step_id' in value && ('source' in value || 'message' in value)) return 'step';
  return 'other';
}

/** A few words naming a JSON value that is none of the record kinds, for the unknown-format error. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `a JSON array of ${value.length} element${value.length === 1 ? '' : 's'}`;
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty JSON object';
    const shown = keys.slice(0, 6).join(', ');
    return `a JSON object with the keys ${shown}${keys.length > 6 ? ', …' : ''}`;
  }
  return value === null ? 'JSON null' : `a JSON ${typeof value}`;
}

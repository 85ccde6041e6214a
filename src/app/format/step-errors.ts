/**
 * Which ATIF steps went wrong, for `n` / `p` in a run: a step whose own
 * `extra` says so (`error`, or a `status` of error/failed: what the original
 * system's agents wrote), or an observation result marked as an error or
 * whose text is one (a failed tool call).
 */
import { isRecord } from '../../schema/json.js';

const FAILED_STATUS = /^(error|errored|failed|failure)$/i;
const ERROR_TEXT = /^\s*(error|exception|traceback|fatal)\b/i;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('\n');
  return '';
}

function resultFailed(result: unknown): boolean {
  if (!isRecord(result)) return false;
  const extra = isRecord(result.extra) ? result.extra : {};
  if (extra.is_error === true || extra.error || FAILED_STATUS.test(String(extra.status ?? ''))) return true;
  return ERROR_TEXT.test(textOf(result.content));
}

export function stepFailed(step: unknown): boolean {
  if (!isRecord(step)) return false;
  const extra = isRecord(step.extra) ? step.extra : {};
  if (extra.error || FAILED_STATUS.test(String(extra.status ?? ''))) return true;
  const observation = step.observation;
  return isRecord(observation) && Array.isArray(observation.results) && observation.results.some(resultFailed);
}

/** The index of the next (`direction` 1) or previous (-1) failed step after `from`, or null. */
export function nextFailedStep(steps: readonly unknown[], from: number, direction: 1 | -1): number | null {
  for (let i = from + direction; i >= 0 && i < steps.length; i += direction) if (stepFailed(steps[i])) return i;
  return null;
}

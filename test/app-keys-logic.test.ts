/** Which steps `n` / `p` stop at (src/app/format/step-errors.ts). */
import { describe, expect, test } from 'vitest';
import { nextFailedStep, stepFailed } from '../src/app/format/step-errors.js';

describe('failed steps', () => {
  const ok = { step_id: 1, source: 'agent', message: 'fine', observation: { results: [{ content: 'done' }] } };
  const steps = [
    ok,
    { step_id: 2, source: 'agent', message: '', extra: { status: 'error' } },
    { step_id: 3, source: 'agent', message: '', extra: { error: 'timed out' } },
    {
      step_id: 4,
      source: 'agent',
      message: '',
      observation: { results: [{ content: 'Traceback (most recent call last):' }] },
    },
    {
      step_id: 5,
      source: 'agent',
      message: '',
      observation: { results: [{ content: [{ type: 'text', text: 'Error: ENOENT' }] }] },
    },
    {
      step_id: 6,
      source: 'agent',
      message: '',
      observation: { results: [{ content: 'x', extra: { is_error: true } }] },
    },
    {
      step_id: 7,
      source: 'agent',
      message: 'An error was fixed',
      observation: { results: [{ content: 'no errors' }] },
    },
    { step_id: 8, source: 'agent', message: '', extra: { status: 'complete' } },
  ];

  test('a step that says it failed, or a tool call whose result is an error', () => {
    expect(steps.map(stepFailed)).toEqual([false, true, true, true, true, true, false, false]);
    expect(stepFailed(null)).toBe(false);
    expect(stepFailed({ observation: 'plain string' })).toBe(false);
  });

  test('n and p walk them in order and stop at the ends', () => {
    expect(nextFailedStep(steps, -1, 1)).toBe(1);
    expect(nextFailedStep(steps, 1, 1)).toBe(2);
    expect(nextFailedStep(steps, 5, 1)).toBeNull();
    expect(nextFailedStep(steps, 5, -1)).toBe(4);
    expect(nextFailedStep(steps, 1, -1)).toBeNull();
  });
});

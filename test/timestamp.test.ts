import { describe, expect, test } from 'vitest';
import { normalizeTimestamp } from '../src/schema/timestamp.js';

describe('normalizeTimestamp', () => {
  test('text already in the normal form gives the answer the full parse gives, valid or not', () => {
    // A leading space keeps text out of the normal-form path: the full parse trims it and builds a Date.
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    let checked = 0;
    let kept = 0;
    for (const year of [0, 1, 99, 1900, 2000, 2023, 2024, 9999])
      for (let month = 0; month <= 13; month++)
        for (const day of [0, 1, 28, 29, 30, 31, 32])
          for (const hour of [0, 23, 24])
            for (const minute of [59, 60])
              for (const second of [0, 59, 60, 61]) {
                const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.123Z`;
                const answer = normalizeTimestamp(text);
                expect(answer, text).toBe(normalizeTimestamp(` ${text}`));
                if (answer === text) kept++;
                checked++;
              }
    expect(checked).toBe(8 * 14 * 7 * 3 * 2 * 4);
    expect(kept).toBeGreaterThan(1000); // the normal-form path is taken, not only refusals
    expect(normalizeTimestamp('2024-02-29T10:00:00.000Z')).toBe('2024-02-29T10:00:00.000Z');
    expect(normalizeTimestamp('2023-02-29T10:00:00.000Z')).toBeNull();
    expect(normalizeTimestamp('1900-02-29T10:00:00.000Z')).toBeNull();
    expect(normalizeTimestamp('2016-12-31T23:59:60.000Z')).toBe('2016-12-31T23:59:59.000Z');
  });

  test('other forms are read as before', () => {
    expect(normalizeTimestamp('2025-11-12T22:22:17Z')).toBe('2025-11-12T22:22:17.000Z');
    expect(normalizeTimestamp('2025-11-12T22:22:17.123456+02:00')).toBe('2025-11-12T20:22:17.123Z');
    expect(normalizeTimestamp('2025-11-12 22:22:17')).toBe('2025-11-12T22:22:17.000Z');
    expect(normalizeTimestamp('2025-11-12')).toBe('2025-11-12T00:00:00.000Z');
    expect(normalizeTimestamp('2025-11-12T22:22:17.000z')).toBe('2025-11-12T22:22:17.000Z');
    expect(normalizeTimestamp('not a time')).toBeNull();
  });
});

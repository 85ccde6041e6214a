import { describe, expect, test } from 'vitest';
import { LruMap } from '../src/util/lru.js';
import { retry } from '../src/util/retry.js';

describe('LruMap', () => {
  test('lets go of the least recently used entry, and says so', () => {
    const evicted: string[] = [];
    const map = new LruMap<string, string>(2, (value) => evicted.push(value));
    map.set('a', 'A');
    map.set('b', 'B');
    expect(map.get('a')).toBe('A'); // now b is the least recently used
    map.set('c', 'C');
    expect(evicted).toEqual(['B']);
    expect(map.get('b')).toBeUndefined();
    map.clear();
    expect(evicted.sort()).toEqual(['A', 'B', 'C']);
  });
});

describe('retry', () => {
  const quick = { withinMs: 10_000, firstPauseMs: 1, longestPauseMs: 2 };

  test('tries again while the failure is retryable, until it succeeds', async () => {
    let attempts = 0;
    const value = await retry(
      async () => {
        if (++attempts < 3) throw new Error('busy');
        return 'done';
      },
      { ...quick, retryable: (error) => (error as Error).message === 'busy' },
    );
    expect([value, attempts]).toEqual(['done', 3]);
  });

  test('throws a failure that is not retryable at once', async () => {
    let attempts = 0;
    const failing = retry(
      async () => {
        attempts++;
        throw new Error('broken');
      },
      { ...quick, retryable: () => false },
    );
    await expect(failing).rejects.toThrow('broken');
    expect(attempts).toBe(1);
  });

  test('throws the last failure once its time is up', async () => {
    let attempts = 0;
    const failing = retry(
      async () => {
        attempts++;
        throw new Error(`busy ${attempts}`);
      },
      { withinMs: 0, firstPauseMs: 1, longestPauseMs: 1, retryable: () => true },
    );
    await expect(failing).rejects.toThrow('busy 1');
  });
});

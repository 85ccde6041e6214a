/** Snippets cut in JS (src/store/search-snippet.ts): where the terms are, and every highlight on them. */
import { describe, expect, test } from 'vitest';
import { parseSearch } from '../src/store/search-query.js';
import { searchSnippet } from '../src/store/search-snippet.js';

/** The snippet of `text` for what a person typed, and the highlighted text of each range. */
function snip(text: string, query: string) {
  const snippet = searchSnippet(text, parseSearch(query).groups.flat());
  return { ...snippet, marked: snippet.highlights.map(([start, end]) => snippet.text.slice(start, end)) };
}

describe('searchSnippet', () => {
  test('every occurrence of every term in the snippet is highlighted, ignoring case', () => {
    const s = snip('The build failed: Timeout after a timeout in the build step', 'timeout build');
    expect(s.text).toBe('The build failed: Timeout after a timeout in the build step');
    expect(s.marked).toEqual(['build', 'Timeout', 'timeout', 'build']);
  });

  test('whole words only, as the word index matches; a prefix matches the start of words', () => {
    expect(snip('rebuild the builder, then build', 'build').marked).toEqual(['build']);
    expect(snip('rebuild the builder, then build', 'build*').marked).toEqual(['builder', 'build']);
  });

  test('accents and case are folded both ways, and the text keeps its own', () => {
    expect(snip('Le café était crème brûlée à Zürich', 'cafe zurich').marked).toEqual(['café', 'Zürich']);
    expect(snip('a plain cafe', 'CAFÉ').marked).toEqual(['cafe']);
    // Decomposed (NFD) text: the mark belongs to the word it sits on.
    expect(snip('un cafe\u0301 noir', 'café').marked).toEqual(['cafe\u0301']);
  });

  test('a phrase is highlighted where its words follow each other, not where they stand apart', () => {
    const s = snip('memory is low; a memory leak, then memory\nleak again', '"memory leak"');
    expect(s.marked).toEqual(['memory leak', 'memory · leak']);
  });

  test('words joined by punctuation are found as the index splits them (read_file: read, file)', () => {
    expect(snip('it called read_file twice', 'read_file').marked).toEqual(['read_file']);
  });

  test('CJK terms are found inside longer runs, with positions in the text as JavaScript counts them', () => {
    const s = snip('昨日は東京タワーに行きました。とても楽しかったです', '東京 楽しかった');
    expect(s.marked).toEqual(['東京', '楽しかった']);
  });

  test('characters outside the BMP (surrogate pairs) before a hit do not shift it, and are never cut in half', () => {
    const text = `${'🎉'.repeat(30)} 𠮷野家 found the needle here ${'😀'.repeat(80)}`;
    const s = snip(text, 'needle');
    expect(s.marked).toEqual(['needle']);
    expect(s.text).not.toMatch(/^…?[\uDC00-\uDFFF]/);
    expect(s.text).not.toMatch(/[\uD800-\uDBFF]…?$/);
    expect(s.text.length).toBeLessThan(200);
  });

  test('a term with no letter or digit is found as written', () => {
    expect(snip('returns 100% of the time => fine', '%').marked).toEqual(['%']);
    expect(snip('party 🎉 time', '🎉').marked).toEqual(['🎉']);
  });

  test('a long text is cut around the place with most terms; … marks each cut; line breaks show as ·', () => {
    const filler = (n: number) => Array.from({ length: n }, (_, k) => `word${k}`).join(' ');
    const text = `${filler(50)} alpha ${filler(50)}\nalpha beta gamma\n${filler(50)}`;
    const s = snip(text, 'alpha beta gamma');
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(s.text).toContain('alpha beta gamma');
    expect(s.text).toContain(' · ');
    expect(s.text).not.toContain('\n');
    expect(s.marked).toEqual(['alpha', 'beta', 'gamma']);
    expect(s.text.length).toBeLessThan(160);
  });

  test('overlapping highlights (a word and a prefix of it) become one range', () => {
    expect(snip('a timeout here', 'timeout time*').highlights).toHaveLength(1);
  });

  test('no terms: no snippet; terms not found: the start of the text, nothing highlighted', () => {
    expect(searchSnippet('some text', [])).toEqual({ text: '', highlights: [] });
    expect(snip('some text here', 'absent')).toEqual({ text: 'some text here', highlights: [], marked: [] });
  });
});

describe('text of ASCII only (words found from each phrase first word, not word by word)', () => {
  /** A deterministic number in [0, 1) for (i, k). */
  const hash = (i: number, k: number) => {
    let x = (i * 7919 + k * 104_729 + 1) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
    return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[], i: number, k: number) => list[Math.floor(hash(i, k) * list.length)]!;
  const WORDS = ['memory', 'leak', 'Leak', 'LEAK', 'mem', 'memoryleak', 'leaky', 'a', 'x1', '42', 'time', 'timeout'];
  const SEPARATORS = [' ', ' ', ' ', ', ', '.', '\n', '_', ' - ', '=>', '  '];
  const QUERIES = [
    '"memory leak"',
    'leak',
    'mem*',
    '"memory lea*"',
    'timeout "a a"',
    '"leak leak" memory',
    'time* 42',
    '=> leak',
    'x1 "memory leak" a',
  ];

  /** The same text with every space a no-break space: the same words at the same places, read word by word. */
  const wordByWord = (text: string, query: string) => {
    const s = searchSnippet(text.replaceAll(' ', '\u00a0'), parseSearch(query).groups.flat());
    return { ...s, text: s.text.replaceAll('\u00a0', ' ') };
  };

  test('the same snippets and highlights as reading word by word', () => {
    for (let i = 0; i < 1500; i++) {
      const length = 1 + Math.floor(hash(i, 0) * 120);
      const text = Array.from({ length }, (_, k) => pick(WORDS, i, 2 * k + 1) + pick(SEPARATORS, i, 2 * k + 2)).join(
        '',
      );
      const query = pick(QUERIES, i, 9999);
      expect(searchSnippet(text, parseSearch(query).groups.flat()), `${query} in ${text}`).toEqual(
        wordByWord(text, query),
      );
    }
  });
});

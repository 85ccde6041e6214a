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

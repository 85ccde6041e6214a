/**
 * Search snippets, cut in JS from a hit's indexed text (every text value of
 * the document, one a line: search-text.ts) for the rows of one page only.
 * FTS5's snippet() tokenized each hit's whole text again (0.8 ms for a
 * 17 KiB document, most of a search's time at a page of 50); this reads a
 * text only until it has found every term, then cuts about SNIPPET_LENGTH
 * characters around the place where most of the terms are.
 *
 * Words are found as the word index finds them (unicode61, remove_diacritics
 * 2): runs of letters, digits and marks, compared without case or accents, a
 * quoted phrase as consecutive words, `word*` by its start. Terms the trigram
 * index or a scan finds (CJK text, `=>`) are found as substrings, ignoring case.
 */
import type { Snippet } from '../contract/results.js';
import type { SearchTerm } from './search-query.js';

/** Shown between two text values of a document (the index joins them with a line break). */
const SEPARATOR = ' · ';
/** How much text comes before the first term of the snippet, and in all (characters, about 16 words). */
const CONTEXT_BEFORE = 40;
const SNIPPET_LENGTH = 120;
/** Hits found before the best place is chosen: enough for every term of a query (at most 32) and more. */
const MAX_HITS = 64;

/** A word as the word index sees it. */
const WORD = /[\p{L}\p{N}\p{Co}\p{M}]+/gu;
const WORD_CHARACTER = /[\p{L}\p{N}\p{Co}\p{M}]/u;
const NON_ASCII = /[^\u0000-\u007f]/;
const MARKS = /\p{M}/gu;

/** A word without case or accents, as the word index compares them. */
function fold(word: string): string {
  return NON_ASCII.test(word) ? word.normalize('NFD').replace(MARKS, '').toLowerCase() : word.toLowerCase();
}

type Matcher =
  /** A word or a quoted phrase: its folded words, the last a prefix when `prefix`. */
  | { words: string[]; prefix: boolean }
  /** Text found as it is written, ignoring case. */
  | { substring: string };

function matcherOf(term: SearchTerm): Matcher | undefined {
  if (term.unsegmented || term.literal) return { substring: term.text.toLowerCase() };
  const words = fold(term.text).match(WORD);
  return words ? { words, prefix: term.prefix } : undefined;
}

type Words = Extract<Matcher, { words: string[] }>;

/** Where a term was found: [start, end) in the text, and which term. */
interface Hit {
  start: number;
  end: number;
  term: number;
}

/**
 * The places where the terms are found in `text`, in order of position. With
 * `untilEveryTerm`, reading stops once every term has been found (and at
 * MAX_HITS): enough to choose where a snippet goes.
 */
function findHits(text: string, matchers: Matcher[], untilEveryTerm: boolean): Hit[] {
  const hits: Hit[] = [];
  const unseen = new Set(matchers.keys());
  const done = () => untilEveryTerm && (unseen.size === 0 || hits.length >= MAX_HITS);

  // Substrings: lower-cased positions are the text's own unless lower-casing changed the length (a rare `İ`).
  const lower = text.toLowerCase();
  const haystack = lower.length === text.length ? lower : text;
  matchers.forEach((m, term) => {
    if (!('substring' in m) || m.substring === '') return;
    for (let at = haystack.indexOf(m.substring); at >= 0 && hits.length < MAX_HITS; ) {
      hits.push({ start: at, end: at + m.substring.length, term });
      unseen.delete(term);
      if (untilEveryTerm) break;
      at = haystack.indexOf(m.substring, at + m.substring.length);
    }
  });

  const phrases = [...matchers.entries()].filter((entry): entry is [number, Words] => 'words' in entry[1]);
  if (phrases.length > 0 && !NON_ASCII.test(text)) {
    // Each phrase's next hit, taken in the word loop's order (by the word each ends at, then by term) until its
    // stop: the text is read only as far as the stop needs, not for every hit of every phrase. A phrase's own
    // hits end in the order they start (each starts at a later word), so its next hit is never behind.
    const next = phrases.map(([term, phrase]) => asciiHitFrom(lower, phrase, term, 0));
    while (!done()) {
      const end = Math.min(...next.map((hit) => hit?.end ?? Number.POSITIVE_INFINITY));
      if (end === Number.POSITIVE_INFINITY) break;
      next.forEach((hit, k) => {
        if (hit?.end !== end) return;
        hits.push(hit);
        unseen.delete(hit.term);
        next[k] = asciiHitFrom(lower, phrases[k]![1], hit.term, hit.start + 1);
      });
    }
  } else if (phrases.length > 0) {
    const longest = Math.max(...phrases.map(([, m]) => m.words.length));
    // The last `longest` words read, so that a phrase is recognised at its last word.
    const recent: Array<{ word: string; start: number; end: number }> = [];
    for (const match of text.matchAll(WORD)) {
      if (done()) break;
      recent.push({ word: fold(match[0]), start: match.index, end: match.index + match[0].length });
      if (recent.length > longest) recent.shift();
      for (const [term, { words, prefix }] of phrases) {
        if (words.length > recent.length) continue;
        const first = recent.length - words.length;
        const matches = words.every((word, k) => {
          const read = recent[first + k]!.word;
          return prefix && k === words.length - 1 ? read.startsWith(word) : read === word;
        });
        if (!matches) continue;
        hits.push({ start: recent[first]!.start, end: recent.at(-1)!.end, term });
        unseen.delete(term);
      }
    }
  }
  return hits.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** In text of ASCII only, a word is a run of [A-Za-z0-9] (what WORD matches there). */
function isAsciiWordAt(lower: string, at: number): boolean {
  const c = lower.charCodeAt(at); // NaN outside the text
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/**
 * The first hit at or after `from` of a word term in `lower` (lower-cased text of ASCII only, where folding a
 * word is lower-casing it): looked for where its first word starts a word (indexOf), then checked word by word.
 * Some 10 times faster than reading every word of the text, as a phrase whose hits are far apart needs.
 */
function asciiHitFrom(lower: string, { words, prefix }: Words, term: number, from: number): Hit | undefined {
  for (let at = lower.indexOf(words[0]!, from); at >= 0; at = lower.indexOf(words[0]!, at + 1)) {
    if (isAsciiWordAt(lower, at - 1)) continue;
    let end = at;
    const matches = words.every((word, k) => {
      while (k > 0 && end < lower.length && !isAsciiWordAt(lower, end)) end++;
      if (!lower.startsWith(word, end)) return false;
      end += word.length;
      if (prefix && k === words.length - 1) while (isAsciiWordAt(lower, end)) end++;
      return !isAsciiWordAt(lower, end);
    });
    if (matches) return { start: at, end, term };
  }
  return undefined;
}

/** The hit to start the snippet at: the one followed, within SNIPPET_LENGTH, by the most different terms. */
function bestStart(hits: Hit[]): Hit {
  let best = hits[0]!;
  let bestCount = 0;
  for (const hit of hits) {
    const windowEnd = hit.start - CONTEXT_BEFORE + SNIPPET_LENGTH;
    const terms = new Set(hits.filter((h) => h.start >= hit.start && h.end <= windowEnd).map((h) => h.term));
    if (terms.size > bestCount) {
      best = hit;
      bestCount = terms.size;
    }
  }
  return best;
}

const isWordAt = (text: string, at: number) => at >= 0 && at < text.length && WORD_CHARACTER.test(text[at]!);
const isLowSurrogate = (text: string, at: number) => /[\uDC00-\uDFFF]/.test(text[at] ?? '');

/** [from, to) around `hit`, moved to the nearest edges of words (never inside a word or a surrogate pair). */
function cut(text: string, hit: Hit): [number, number] {
  let from = Math.max(0, hit.start - CONTEXT_BEFORE);
  while (from < hit.start && ((isWordAt(text, from - 1) && isWordAt(text, from)) || isLowSurrogate(text, from))) from++;
  while (from < hit.start && /\s/.test(text[from]!)) from++;
  let to = Math.max(hit.end, Math.min(text.length, from + SNIPPET_LENGTH));
  while (to > hit.end && ((isWordAt(text, to - 1) && isWordAt(text, to)) || isLowSurrogate(text, to))) to--;
  while (to > hit.end && /\s/.test(text[to - 1]!)) to--;
  return [from, to];
}

/** Sorted ranges, those that overlap or touch merged into one. */
function merged(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    const last = out.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/**
 * The snippet of `text` for a search of `terms`: plain text (line breaks
 * shown as SEPARATOR, `…` where it is cut) with the [start, end) ranges of
 * every term found in it. No terms: no snippet. Terms not found (the index
 * may match what these rules do not, an unusual accent say): the text's start.
 */
export function searchSnippet(text: string, terms: readonly SearchTerm[]): Snippet {
  const matchers = terms.map(matcherOf).filter((m): m is Matcher => m !== undefined);
  if (matchers.length === 0 || text === '') return { text: '', highlights: [] };
  const hits = findHits(text, matchers, true);
  const [from, to] = hits.length > 0 ? cut(text, bestStart(hits)) : cut(text, { start: 0, end: 0, term: -1 });
  const part = text.slice(from, to);
  const inPart = hits.length > 0 ? findHits(part, matchers, false) : [];

  // Each line break becomes SEPARATOR: a position moves by the separators before it.
  const prefix = from > 0 ? '…' : '';
  const breaks: number[] = [];
  for (let at = part.indexOf('\n'); at >= 0; at = part.indexOf('\n', at + 1)) breaks.push(at);
  const shifted = (at: number) => prefix.length + at + (SEPARATOR.length - 1) * breaks.filter((b) => b < at).length;
  return {
    text: prefix + part.replaceAll('\n', SEPARATOR) + (to < text.length ? '…' : ''),
    highlights: merged(inPart.map((h) => [shifted(h.start), shifted(h.end)])),
  };
}

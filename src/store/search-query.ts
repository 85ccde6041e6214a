/**
 * Turns whatever a person types into a search plan. Nothing typed is ever
 * passed to FTS5 as syntax: every term becomes a quoted FTS5 string (or a
 * bound LIKE pattern), so quotes, `AND`, `*`, `-`, `:`, parentheses, emoji or
 * a 10 KB paste are all valid queries.
 *
 * The syntax people may use, all optional:
 *   words            every word must match (accents and case are ignored)
 *   "exact phrase"   the words in this order
 *   word*            words starting with `word`
 *   -word, NOT word  must not match
 *   a OR b           either is enough (binds tighter than the implicit AND)
 *
 * Control characters (NUL included) separate words, as in the indexed text;
 * a term with no letter or digit is searched as it is written, a substring.
 */

export interface SearchTerm {
  text: string;
  prefix: boolean;
  /**
   * Written in a script without spaces between words (Chinese, Japanese,
   * Korean, Thai...): searched in the trigram index as a substring.
   */
  unsegmented: boolean;
  /**
   * Holds no letter or digit (`%`, `(`, `=>`, an emoji): the word index keeps
   * no such token, so it is found as a substring of the indexed text.
   */
  literal: boolean;
}

export interface SearchPlan {
  /** Every group must match; within a group any term may. */
  groups: SearchTerm[][];
  excluded: SearchTerm[];
}

/** Terms past this many are ignored: a pasted page is still a query, just not a slow one. */
export const MAX_TERMS = 32;
/** A term longer than this is cut. */
export const MAX_TERM_LENGTH = 200;

// Scripts without spaces between words; src/store/search-text.ts puts values with such text in the trigram index.
export const UNSEGMENTED_SCRIPT =
  /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\u{20000}-\u{2FFFF}]/u;
const SEARCHABLE = /[\p{L}\p{N}]/u;
/** FTS5 reads a query string only up to a NUL ("unterminated string"); none of these is text anyway. */
const CONTROL_CHARACTERS = /\p{Cc}/gu;

interface Token {
  text: string;
  quoted: boolean;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /"([^"]*)"?|(\S+?)(?=\s|"|$)/gu;
  for (const match of input.matchAll(pattern)) {
    if (match[1] !== undefined) tokens.push({ text: match[1], quoted: true });
    else if (match[2] !== undefined) tokens.push({ text: match[2], quoted: false });
  }
  return tokens;
}

function termOf(text: string, quoted: boolean): SearchTerm | undefined {
  let prefix = false;
  if (!quoted && text.length > 1 && text.endsWith('*')) {
    text = text.replace(/\*+$/, '');
    prefix = true;
  }
  text = [...text].slice(0, MAX_TERM_LENGTH).join('');
  if (text === '') return undefined;
  const literal = !SEARCHABLE.test(text);
  return { text, prefix: prefix && !literal, unsegmented: !literal && UNSEGMENTED_SCRIPT.test(text), literal };
}

export function parseSearch(input: string): SearchPlan {
  const plan: SearchPlan = { groups: [], excluded: [] };
  let negateNext = false;
  let joinNext = false;
  let count = 0;
  for (const token of tokenize(input.replace(CONTROL_CHARACTERS, ' '))) {
    if (count >= MAX_TERMS) break;
    if (!token.quoted && token.text === 'OR') {
      joinNext = plan.groups.length > 0;
      continue;
    }
    if (!token.quoted && token.text === 'AND') continue;
    if (!token.quoted && token.text === 'NOT') {
      negateNext = true;
      continue;
    }
    let text = token.text;
    let negated = negateNext;
    if (!token.quoted && text.length > 1 && text.startsWith('-')) {
      text = text.slice(1);
      negated = true;
    }
    const term = termOf(text, token.quoted);
    negateNext = false;
    if (!term) continue;
    count++;
    if (negated) plan.excluded.push(term);
    else if (joinNext) plan.groups.at(-1)!.push(term);
    else plan.groups.push([term]);
    joinNext = false;
  }
  return plan;
}

/** An FTS5 string for a term: a quoted phrase, never syntax. */
export function ftsString(term: SearchTerm): string {
  return `"${term.text.replace(/"/g, '""')}"${term.prefix ? '*' : ''}`;
}

/** The trigram index matches three characters or more; shorter text is found with LIKE. */
export function matchableByTrigrams(term: SearchTerm): boolean {
  return [...term.text].length >= 3;
}

export function likePattern(term: SearchTerm): string {
  return `%${term.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

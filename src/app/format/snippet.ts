/**
 * A search snippet's text cut into plain and highlighted runs, for rendering
 * as text nodes and <mark> elements (never as HTML). Highlight ranges from
 * the store are trusted for nothing: out-of-range, overlapping or unsorted
 * ones are clamped and merged.
 */
import type { Snippet } from '../../public-types.js';

export interface SnippetRun {
  text: string;
  marked: boolean;
}

export function snippetRuns(snippet: Snippet): SnippetRun[] {
  const { text } = snippet;
  const ranges = snippet.highlights
    .map(
      ([start, end]) => [Math.max(0, Math.min(text.length, start)), Math.max(0, Math.min(text.length, end))] as const,
    )
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const runs: SnippetRun[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    if (from > at) runs.push({ text: text.slice(at, from), marked: false });
    const last = runs[runs.length - 1];
    // Ranges that touch or overlap become one mark.
    if (last?.marked && from === at) last.text += text.slice(from, end);
    else runs.push({ text: text.slice(from, end), marked: true });
    at = end;
  }
  if (at < text.length) runs.push({ text: text.slice(at), marked: false });
  return runs;
}

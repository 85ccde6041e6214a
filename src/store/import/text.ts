/**
 * The input as text, a chunk at a time, and split into the pieces the formats
 * are made of: lines (JSON Lines, the streamed form) or JSON values (one
 * document, documents one after another, the elements of an array). A piece
 * may span any number of chunks, and a character any chunk boundary.
 */
import type { InputSource } from './source.js';

/** Bytes (or string units) read at a time: a large file is never held whole. */
export const CHUNK_SIZE = 1 << 20;

/** One piece of the text: where it starts (1-based line) and how far the input was read to reach its end. */
export interface TextPiece {
  text: string;
  line: number;
  /** Offset in the input (bytes, or units of a string) read when the piece was complete: for progress. */
  end: number;
}

interface TextChunk {
  text: string;
  end: number;
}

function* textChunks(source: InputSource, chunkSize: number): Generator<TextChunk> {
  // `stream: true` keeps a character cut by a chunk boundary for the next chunk; the decoder drops a BOM.
  const decoder = new TextDecoder('utf-8');
  for (let start = 0; start < source.size; start += chunkSize) {
    const end = Math.min(start + chunkSize, source.size);
    const part = source.slice(start, end);
    const text = typeof part === 'string' ? part : decoder.decode(part, { stream: end < source.size });
    yield { text: start === 0 && text.startsWith('\uFEFF') ? text.slice(1) : text, end };
  }
}

/** The first `units` of the input as text, for detection. */
export function headText(source: InputSource, units = 64 * 1024): string {
  const part = source.slice(0, Math.min(units, source.size));
  const text = typeof part === 'string' ? part : new TextDecoder('utf-8').decode(part, { stream: true });
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Every line that is not blank, without its line end. */
export function* lines(source: InputSource, chunkSize = CHUNK_SIZE): Generator<TextPiece> {
  let pending = '';
  let line = 1;
  let end = 0;
  const piece = (raw: string, at: number): TextPiece | null => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    return text.trim() === '' ? null : { text, line: at, end };
  };
  for (const chunk of textChunks(source, chunkSize)) {
    end = chunk.end;
    const text = pending + chunk.text;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      const found = piece(text.slice(from, nl), line);
      if (found) yield found;
      line++;
      from = nl + 1;
    }
    pending = text.slice(from);
  }
  const last = piece(pending, line);
  if (last) yield last;
}

/**
 * What `jsonValues` yields: a value's text; or, with `problem`, text that is
 * not one: the input ends inside a value (`cut-off`), the input is not an
 * array where one was asked for (`not-array`), or text follows the array's
 * closing bracket (`after-end`).
 */
export type ValuePiece = TextPiece & { problem?: 'cut-off' | 'not-array' | 'after-end' };

const WHITESPACE = /\s/;
const ENDS_SCALAR = /[\s,\]}[{"]/;

/**
 * The JSON values of the input, one after another (`top`), or the elements of
 * the one array it holds (`array`). Only strings and brackets are followed,
 * not the grammar: each value's text is for JSON.parse to judge, so a
 * malformed element is refused on its own and the others go on.
 */
export function* jsonValues(
  source: InputSource,
  level: 'top' | 'array',
  chunkSize = CHUNK_SIZE,
): Generator<ValuePiece> {
  const base = level === 'array' ? 1 : 0;
  let depth = level === 'array' ? -1 : 0; // -1: before the array's `[`
  let inString = false;
  let escaped = false;
  let scalar = false;
  let inValue = false;
  let pending = ''; // the current value's text read in earlier chunks
  let line = 1;
  let valueLine = 1;
  let end = 0;
  const piece = (text: string): ValuePiece => ({ text, line: valueLine, end });
  for (const chunk of textChunks(source, chunkSize)) {
    end = chunk.end;
    const text = chunk.text;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\n') line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        if (!inString && depth === base) {
          yield piece(pending + text.slice(start, i + 1));
          pending = '';
          inValue = false;
        }
        continue;
      }
      if (scalar) {
        if (!ENDS_SCALAR.test(c)) continue;
        yield piece(pending + text.slice(start, i));
        pending = '';
        inValue = scalar = false;
      }
      if (inValue) {
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if ((c === '}' || c === ']') && --depth === base) {
          yield piece(pending + text.slice(start, i + 1));
          pending = '';
          inValue = false;
        }
        continue;
      }
      if (WHITESPACE.test(c)) continue;
      if (depth === -1 || (level === 'array' && depth === 0)) {
        // Before `[` (anything else: not an array), or after `]` (anything: text after the end).
        if (depth === -1 && c === '[') {
          depth = 1;
          continue;
        }
        const rest = text.slice(i, i + 200);
        yield { text: rest, line, end, problem: depth === -1 ? 'not-array' : 'after-end' };
        return;
      }
      if (level === 'array' && c === ',') continue;
      if (level === 'array' && c === ']') {
        depth = 0;
        continue;
      }
      inValue = true;
      start = i;
      valueLine = line;
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else scalar = true;
    }
    if (inValue) pending += text.slice(start);
  }
  if (inValue) yield { ...piece(pending), ...(scalar ? {} : { problem: 'cut-off' as const }) };
  else if (depth === -1 || (level === 'array' && depth > 0)) {
    yield { text: '', line, end, problem: depth === -1 ? 'not-array' : 'cut-off' };
  }
}

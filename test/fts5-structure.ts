/**
 * Reads an FTS5 index's structure record (the row of `<table>_data` with id 10): its levels and each level's
 * segments, oldest first. For tests that look at how FTS5 merges segments (FTS5 offers no SQL function for it
 * outside its own test builds). The format is fts5_index.c's: a 4-byte cookie, an optional 4-byte version-2 marker,
 * then SQLite varints: the number of levels, of segments, the write counter, and per level the number of segments
 * in an ongoing merge, the number of segments, and per segment its id and first and last leaf page (version 2 adds
 * five varints a segment).
 */
import type { Database } from '@sqlite.org/sqlite-wasm';

export interface Fts5Segment {
  id: number;
  firstPage: number;
  lastPage: number;
}

/** Levels from 0 (where new segments go) up; each level's segments oldest first. */
export type Fts5Structure = Fts5Segment[][];

const STRUCTURE_ROW = 10;
const VERSION_2_MARKER = [0xff, 0x00, 0x00, 0x01];

export function fts5Structure(db: Database, table: string): Fts5Structure {
  const blob = db.selectValue(`SELECT block FROM ${table}_data WHERE id = ?`, [STRUCTURE_ROW]) as Uint8Array;
  let at = 4;
  const version2 = VERSION_2_MARKER.every((byte, i) => blob[at + i] === byte);
  if (version2) at += 4;
  const varint = (): number => {
    let value = 0;
    for (let i = 0; i < 8; i++) {
      const byte = blob[at++]!;
      value = value * 128 + (byte & 0x7f);
      if (byte < 0x80) return value;
    }
    return value * 256 + blob[at++]!;
  };
  const levelCount = varint();
  varint(); // segments in all
  varint(); // write counter
  const levels: Fts5Structure = [];
  for (let level = 0; level < levelCount; level++) {
    varint(); // segments in an ongoing merge
    const segments: Fts5Segment[] = [];
    for (let n = varint(); n > 0; n--) {
      segments.push({ id: varint(), firstPage: varint(), lastPage: varint() });
      if (version2) for (let i = 0; i < 5; i++) varint();
    }
    levels.push(segments);
  }
  return levels;
}

/** The leaf pages FTS5 read as a merge's input between two structures: segments gone, and what a merge in progress consumed. */
export function pagesMerged(before: Fts5Structure, after: Fts5Structure): number {
  const now = new Map(after.flat().map((segment) => [segment.id, segment]));
  let pages = 0;
  for (const segment of before.flat()) {
    const later = now.get(segment.id);
    if (!later) pages += segment.lastPage - segment.firstPage + 1;
    else pages += later.firstPage - segment.firstPage;
  }
  return pages;
}

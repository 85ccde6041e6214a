/**
 * importTrajectories: any file the store reads, detected (detect.ts), read a
 * chunk at a time (text.ts), turned into items (items.ts) and saved by the
 * store in batches of its insertMany size, each batch one transaction, under
 * the identity rule or `onConflict`, with progress after every batch.
 * A snapshot is merged (importSnapshot); an agent log is converted by its
 * importer (src/importers/), whole, as it is read.
 */
import { AGENT_LOG_IMPORTERS } from '../../importers/index.js';
import type { ImportResult } from '../../contract/results.js';
import type { ImportFormat, ImportTrajectoriesOptions, OnConflict, ProgressListener } from '../../schema/query.js';
import { type Prepared, prepareItem } from '../prepare.js';
import { detectFormat, unknownFormat } from './detect.js';
import { type ImportPiece, recordItems, streamItems } from './items.js';
import { inputSource, type InputSource, readWhole } from './source.js';
import { jsonValues, lines } from './text.js';

/** What the import needs of the store: the two ways it writes. */
export interface ImportTarget {
  batchSize: number;
  /** Writes one batch in one transaction, adding what happened to `result`; returns the ids written. */
  saveBatch(
    batch: ReadonlyArray<{ index: number; line?: number; prepared: Prepared }>,
    onConflict: OnConflict | undefined,
    result: ImportResult,
  ): string[];
  mergeSnapshot(bytes: Uint8Array, onProgress: ProgressListener): number;
}

type Options = Omit<ImportTrajectoriesOptions, 'onProgress'> & { onProgress: ProgressListener };

/** Imports `input`; returns what happened and the ids written (for the store's change event). */
export function importInput(
  target: ImportTarget,
  input: unknown,
  options: Options,
): { result: ImportResult; savedIds: string[] } {
  const source = inputSource(input, options.name);
  const detected = options.format ?? detectFormat(source);
  const result = emptyImportResult(detected === 'empty' ? 'jsonl' : detected);
  const savedIds: string[] = [];
  if (detected === 'empty') {
    result.inputWarnings.push({ path: '', message: 'the input is empty' });
  } else if (detected === 'sqlite') {
    const bytes = readWhole(source);
    if (typeof bytes === 'string') throw unknownFormat('text, where a SQLite file was named');
    result.merged = target.mergeSnapshot(bytes, options.onProgress);
  } else {
    const importer = AGENT_LOG_IMPORTERS.find((i) => i.format === detected);
    let pieces: Iterable<ImportPiece>;
    let total = source.size;
    if (importer) {
      // Converted whole by its importer: one item per trajectory, the importer's warnings the input's.
      const converted = importer.convert({ name: source.name, content: readWhole(source) });
      result.inputWarnings.push(...converted.warnings);
      pieces = converted.trajectories.map((item, index) => ({ index, line: 0, end: index + 1, item }));
      total = converted.trajectories.length;
    } else {
      pieces = textItems(detected, source);
    }
    savedIds.push(...saveInBatches(target, pieces, options, result, total));
    if (detected === 'jsonl' && result.inserted + result.replaced + result.unchanged + result.skipped === 1) {
      // One document on one line: the form of a compact .json file.
      if (result.rejected.length === 0) result.format = 'atif';
    }
  }
  return { result, savedIds };
}

function textItems(format: ImportFormat, source: InputSource): Iterable<ImportPiece> {
  switch (format) {
    case 'atif-stream':
      return streamItems(lines(source));
    case 'jsonl':
      return recordItems(lines(source));
    case 'atif-array':
      return recordItems(jsonValues(source, 'array'));
    default:
      return recordItems(jsonValues(source, 'top'));
  }
}

/**
 * Prepares and saves the pieces a batch at a time. Progress is in bytes (or a
 * string's units) of the input, or in trajectories of a converted agent log.
 */
function saveInBatches(
  target: ImportTarget,
  pieces: Iterable<ImportPiece>,
  { strict = false, onConflict, onProgress }: Options,
  result: ImportResult,
  total: number,
): string[] {
  const savedIds: string[] = [];
  let batch: Array<{ index: number; line?: number; prepared: Prepared }> = [];
  let read = 0;
  let told = -1;
  const flush = () => {
    savedIds.push(...target.saveBatch(batch, onConflict, result));
    batch = [];
    onProgress({ done: read, total });
    told = read;
  };
  for (const piece of pieces) {
    if ('warning' in piece) {
      result.inputWarnings.push(piece.warning);
      continue;
    }
    const line = piece.line > 0 ? { line: piece.line } : {};
    read = piece.end;
    const prepared: Prepared =
      'issues' in piece
        ? { issues: piece.issues }
        : strict && piece.lost
          ? { issues: [{ path: '', message: `${piece.lost} of its lines were left out (see the input's warnings)` }] }
          : prepareItem(piece.item, strict);
    batch.push({ index: piece.index, ...line, prepared });
    if (batch.length === target.batchSize) flush();
  }
  read = total;
  if (batch.length > 0 || told !== total) flush();
  return savedIds;
}

function emptyImportResult(format: ImportFormat): ImportResult {
  return {
    format,
    inserted: 0,
    replaced: 0,
    unchanged: 0,
    skipped: 0,
    merged: 0,
    rejected: [],
    renamed: [],
    warnings: [],
    inputWarnings: [],
  };
}

/**
 * What importTrajectories reads, as one interface over its three kinds of
 * input: a string, bytes, or (in the browser store's worker) a Blob or File.
 * A Blob is read a slice at a time with FileReaderSync, inside the worker that
 * holds the database: the page hands the worker the Blob itself (a handle,
 * not its bytes), so a large file is never copied whole to the page's thread,
 * nor held whole in memory unless its format needs it (a snapshot, an agent log).
 */
import { TrajectoryStoreError } from '../../errors.js';

/** The input in slices: `size` and offsets count bytes, or UTF-16 code units for a string. */
export interface InputSource {
  /** A File's name, or the `name` option: some agent logs are told apart by it. */
  name: string | undefined;
  size: number;
  slice(start: number, end: number): string | Uint8Array;
}

/** The synchronous Blob reader that dedicated workers have (absent on a page's main thread and in Node). */
type FileReaderSyncLike = { readAsArrayBuffer(blob: Blob): ArrayBuffer };
const FileReaderSyncClass = (globalThis as { FileReaderSync?: new () => FileReaderSyncLike }).FileReaderSync;

export function inputSource(input: unknown, name: string | undefined): InputSource {
  if (typeof input === 'string') {
    return { name, size: input.length, slice: (start, end) => input.slice(start, end) };
  }
  if (input instanceof Uint8Array) {
    // A plain view: a Node Buffer's subarray is a Buffer, which sqlite-wasm refuses to copy a snapshot from.
    const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    return { name, size: bytes.byteLength, slice: (start, end) => bytes.subarray(start, end) };
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    if (!FileReaderSyncClass) {
      throw TrajectoryStoreError.validation('import input', [
        {
          path: '',
          message:
            'a Blob is read inside the browser store’s worker; here pass its bytes (new Uint8Array(await blob.arrayBuffer()))',
        },
      ]);
    }
    const reader = new FileReaderSyncClass();
    const fileName = (input as Blob & { name?: unknown }).name;
    return {
      name: name ?? (typeof fileName === 'string' ? fileName : undefined),
      size: input.size,
      slice: (start, end) => new Uint8Array(reader.readAsArrayBuffer(input.slice(start, end))),
    };
  }
  throw TrajectoryStoreError.validation('import input', [
    { path: '', message: 'must be a string, a Uint8Array, or (in a browser) a Blob or File' },
  ]);
}

/** The whole input at once, for the formats read whole: a snapshot's bytes, an agent log for its importer. */
export function readWhole(source: InputSource): string | Uint8Array {
  return source.slice(0, source.size);
}

/**
 * Reading zip archives (Inspect's `.eval` logs) with fflate: small, pure
 * JavaScript, synchronous in Node and in browsers alike, no dependencies of its
 * own. A whole archive is read through its central directory; an archive cut
 * off before its end has none, so its complete entries are recovered by
 * walking the local headers from the front.
 */
import { inflateSync, unzipSync } from 'fflate';

export interface ZipEntries {
  entries: Map<string, Uint8Array>;
  /** True when the archive had no central directory and was read entry by entry up to where it breaks off. */
  truncated: boolean;
}

const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

export function readZip(bytes: Uint8Array, wanted: (name: string) => boolean): ZipEntries {
  try {
    const unzipped = unzipSync(bytes, { filter: (file) => wanted(file.name) });
    return { entries: new Map(Object.entries(unzipped)), truncated: false };
  } catch {
    return { entries: readLocalEntries(bytes, wanted), truncated: true };
  }
}

/** Entries whose local header gives their size and whose data is all there, in order, until the first that is not. */
function readLocalEntries(bytes: Uint8Array, wanted: (name: string) => boolean): Map<string, Uint8Array> {
  const entries = new Map<string, Uint8Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  let offset = 0;
  while (offset + 30 <= bytes.length && view.getUint32(offset, true) === LOCAL_HEADER) {
    const flags = view.getUint16(offset + 6, true);
    const method = view.getUint16(offset + 8, true);
    const compressedSize = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    const dataStart = offset + 30 + nameLength + extraLength;
    // Bit 3: sizes come after the data, so the entry's end cannot be known from here.
    if (flags & 0x8 || dataStart + compressedSize > bytes.length) break;
    const name = decoder.decode(bytes.subarray(offset + 30, offset + 30 + nameLength));
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    if (wanted(name)) {
      try {
        if (method === STORED) entries.set(name, data.slice());
        else if (method === DEFLATED) entries.set(name, inflateSync(data));
      } catch {
        break;
      }
    }
    offset = dataStart + compressedSize;
  }
  return entries;
}

/** Hands data to the browser as a file download. */

export const MEDIA_TYPES = {
  sqlite: 'application/vnd.sqlite3',
  jsonl: 'application/x-ndjson',
  json: 'application/json',
  csv: 'text/csv',
  md: 'text/markdown',
} as const;

export type DownloadKind = keyof typeof MEDIA_TYPES;

/** `trajectories-2025-11-12-2222.jsonl` (local time), so that successive exports sort and do not collide. */
export function downloadName(kind: DownloadKind, stem = 'trajectories', now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  // Ids come from stored data: keep a plain, visible file name.
  const safeStem =
    stem
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._-]+/, '')
      .slice(0, 80) || 'trajectories';
  return `${safeStem}-${stamp}.${kind}`;
}

export function downloadFile(name: string, data: string | Uint8Array, kind: DownloadKind): void {
  // A copy into a plain ArrayBuffer: the worker's bytes may sit on a shared or larger buffer.
  const part: BlobPart = typeof data === 'string' ? data : new Uint8Array(data);
  const url = URL.createObjectURL(new Blob([part], { type: MEDIA_TYPES[kind] }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: the browser reads the blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Small files of the worker's own on OPFS, written through sync access handles (workers only). */

/** What the worker uses of OPFS's sync access handle (worker-only, so missing from the DOM typings). */
export interface SyncAccessHandle {
  getSize(): number;
  write(data: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}
type SyncFileHandle = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccessHandle> };

/**
 * Runs `use` on a sync access handle of the file at `path` (directories below the origin's root, then the
 * file's name), made with its directories when `create`; the handle is closed after, whatever happens. Closing
 * matters: Chromium counts the room it granted an open handle against the quota until the handle closes.
 */
export async function withSyncFile<T>(
  path: readonly string[],
  create: boolean,
  use: (handle: SyncAccessHandle) => T,
): Promise<T> {
  let directory = await navigator.storage.getDirectory();
  for (const name of path.slice(0, -1)) directory = await directory.getDirectoryHandle(name, { create });
  const file = (await directory.getFileHandle(path.at(-1)!, { create })) as SyncFileHandle;
  const handle = await file.createSyncAccessHandle();
  try {
    return use(handle);
  } finally {
    handle.close();
  }
}

/** Removes the file at `path` (as in withSyncFile), if it is there. */
export async function removeFile(path: readonly string[]): Promise<void> {
  try {
    let directory = await navigator.storage.getDirectory();
    for (const name of path.slice(0, -1)) directory = await directory.getDirectoryHandle(name);
    await directory.removeEntry(path.at(-1)!);
  } catch {
    // Not there: nothing to remove.
  }
}

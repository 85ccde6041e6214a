/**
 * What `import` reads: the files named, and inside folders (recursively) the
 * files whose names say they may hold trajectories. Each file's format is the
 * store's to detect (importTrajectories), so the command line, the app and
 * the library take the same files.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Names a folder walk picks up; a file named on the command line is read whatever its name. */
const CANDIDATE = /\.(json|jsonl|eval|sqlite|sqlite3|db)$/i;

export function collectFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && CANDIDATE.test(entry.name)) files.push(path);
    }
  };
  for (const path of paths) {
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
  return files;
}

/**
 * Loads one of the project's TypeScript modules in plain Node, with no build
 * step and no extra dependency: Vite (already used for the app) transforms it
 * on the fly through its module runner. Packages are loaded by Node as usual.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

export const root = fileURLToPath(new URL('..', import.meta.url));

export async function importTs(relativePath) {
  const { module } = await runnerImport(resolve(root, relativePath), { root, logLevel: 'error' });
  return module;
}

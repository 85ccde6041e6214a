/**
 * Loads one of the project's TypeScript modules in plain Node, with no build
 * step and no extra dependency: Vite (already used for the app) transforms it
 * on the fly through its module runner. Packages are loaded by Node as usual.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** The project's Vite plugins its modules need (the migrations' `?migration` import): no config file is read here. */
let plugins;

export async function importTs(relativePath) {
  plugins ??= runnerImport(resolve(root, 'vite-plugin-migrations.ts'), { root, logLevel: 'error' }).then(
    ({ module }) => [module.migrationFiles()],
  );
  const { module } = await runnerImport(resolve(root, relativePath), {
    root,
    logLevel: 'error',
    plugins: await plugins,
  });
  return module;
}

/**
 * The store worker's first script holds what opens the database; the store core's modules come in a chunk of their
 * own, loaded by import() while OPFS opens the pool's files (src/worker/lazy-store.ts). A static import of the core
 * from the worker's start-up modules would put it back in the first script, and the cold open would be slower again
 * with every test still green: this builds the worker as the package ships it and looks at which module went where.
 */
import { resolve } from 'node:path';
import { build, type Rolldown } from 'vite';
import { expect, test } from 'vitest';

/** Modules the open does not need before SQLite is ready: the core, zod's document schemas, importers, compare. */
const NOT_AT_START = [
  'src/store/store.ts',
  'src/schema/atif.ts',
  'src/store/compare/index.ts',
  'src/store/import/index.ts',
  'node_modules/fflate/',
];

async function workerChunks(): Promise<Rolldown.OutputChunk[]> {
  const output = (await build({
    configFile: resolve('vite.lib.config.ts'),
    mode: 'worker',
    logLevel: 'silent',
    build: { write: false, minify: false },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const outputs = Array.isArray(output) ? output : [output];
  return outputs.flatMap((o) => o.output.filter((item): item is Rolldown.OutputChunk => item.type === 'chunk'));
}

test("the worker's first script leaves the store core to a chunk loaded after SQLite starts", async () => {
  const chunks = await workerChunks();
  const named = (fileName: string) => chunks.find((chunk) => chunk.fileName === fileName)!;
  const entry = chunks.find((chunk) => chunk.isEntry && chunk.fileName === 'store-worker.js');
  const lazy = chunks.find((chunk) => chunk.moduleIds.some((id) => id.endsWith('/src/worker/store-modules.ts')));
  expect(entry).toBeDefined();
  expect(lazy).toBeDefined();
  // The first script: the entry and the chunks it imports statically (rolldown lists those transitively).
  const start = [entry!, ...entry!.imports.map(named)];
  const inStart = (path: string) => start.some((chunk) => chunk.moduleIds.some((id) => id.includes(`/${path}`)));
  const inLazy = (path: string) => lazy!.moduleIds.some((id) => id.includes(`/${path}`));
  // What the open needs first stays: SQLite's glue and the worker's coordination.
  expect(inStart('node_modules/@sqlite.org/sqlite-wasm/')).toBe(true);
  expect(inStart('src/worker/databases.ts')).toBe(true);
  for (const path of NOT_AT_START) {
    expect({ path, inStart: inStart(path), inLazy: inLazy(path) }).toEqual({ path, inStart: false, inLazy: true });
  }
  // The first script loads the chunk by a relative URL, so that the chunk ships beside it in the package's dist/.
  expect(start.flatMap((chunk) => chunk.dynamicImports)).toEqual([lazy!.fileName]);
  // Nothing imports the entry, which exports nothing: a consumer's Vite dev server serves the entry as a worker under
  // a URL of its own (`store-worker.js?worker_file&type=module`), so an import of it by its plain URL would evaluate a
  // second copy of the worker, whose Comlink.expose answers the page's calls with no store open.
  expect(entry!.exports).toEqual([]);
  expect(chunks.filter((chunk) => [...chunk.imports, ...chunk.dynamicImports].includes(entry!.fileName))).toEqual([]);
}, 60_000);

/**
 * The library build (npm run build:lib), in two passes:
 *
 * - `vite build -c vite.lib.config.ts`: ESM entries for browsers (dist/index.js), Node (dist/node.js),
 *   the embeddable panels (dist/elements.js) and the command line (dist/cli.js, run by
 *   bin/trajectory-store.mjs); the package's dependencies and peer dependencies (lit, chart.js and the
 *   virtualizer, which only the panels use) stay imports, for the
 *   app's bundler to resolve.
 * - `vite build -c vite.lib.config.ts --mode worker`: the store's worker (dist/store-worker.js),
 *   self-contained, with its chunks and SQLite's wasm beside it as files (dist/assets/). An app's bundler
 *   copies it as it is, and its dev server has nothing in it to pre-bundle (which breaks the wasm's URL).
 *
 * Library mode would inline the worker and its wasm as data URLs, and point at the worker with an
 * absolute path; so the first pass leaves `new Worker(new URL('./store-worker.js', import.meta.url))`
 * in dist/index.js for the app's bundler to follow. Types: tsconfig.build.json.
 *
 * No source maps: they would point at sources the package does not ship, and made up 3 MB of its 5.2 MB.
 */
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { migrationFiles } from './vite-plugin-migrations.js';

const WORKER_ENTRY = 'src/worker/store-worker.ts';
const WORKER_URL = "'../worker/store-worker.ts'";
const BUILT_WORKER_URL = '"./store-worker.js"';
/** As long as WORKER_URL, and the built URL padded to it: no code moves (so a local source map would stay right). */
const PLACEHOLDER = '__TRAJECTORY_STORE_WORKER__';

/** Keeps the worker out of the library pass and points the entry at the worker pass's file. */
function builtWorkerUrl(): Plugin {
  return {
    name: 'trajectory-store:built-worker-url',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('/src/client/browser.ts')) return null;
      const source = `new URL(${WORKER_URL}, import.meta.url)`;
      if (!code.includes(source)) this.error(`${id} no longer creates its worker with ${source}`);
      return { code: code.replace(source, `new URL(${PLACEHOLDER}, import.meta.url)`), map: null };
    },
    renderChunk(code) {
      if (!code.includes(PLACEHOLDER)) return null;
      return { code: code.replaceAll(PLACEHOLDER, BUILT_WORKER_URL.padEnd(PLACEHOLDER.length)), map: null };
    },
  };
}

const { dependencies, peerDependencies } = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const packages = [...Object.keys(dependencies), ...Object.keys(peerDependencies)];
const external = [...packages.map((name) => new RegExp(`^${escapeRegExp(name)}(/|$)`)), /^node:/];

export default defineConfig(({ mode }) =>
  mode === 'worker'
    ? {
        base: './',
        build: {
          outDir: 'dist',
          emptyOutDir: false,
          target: 'es2022',
          sourcemap: false,
          copyPublicDir: false,
          assetsInlineLimit: 0,
          rolldownOptions: {
            input: { 'store-worker': WORKER_ENTRY },
            preserveEntrySignatures: false,
            output: {
              format: 'es',
              entryFileNames: '[name].js',
              chunkFileNames: 'assets/[name]-[hash].js',
              // Every module the entry imports statically goes into one chunk, which the entry and the store core's
              // lazy chunk (src/worker/lazy-store.ts) both import by one URL; the entry exports nothing. Left in the
              // entry, they were imported from it by the lazy chunk, and a consumer's Vite dev server, which serves
              // the entry as a worker under another URL (`store-worker.js?worker_file&type=module`), then evaluated a
              // second copy of the worker: its Comlink.expose answered the page's calls with no store open.
              codeSplitting: {
                groups: [{ name: 'worker-start', tags: ['$initial'], test: (id) => !id.endsWith(`/${WORKER_ENTRY}`) }],
              },
            },
          },
        },
        plugins: [migrationFiles()],
        // The store's worker starts a worker of its own (the snapshot checker), bundled with these plugins.
        worker: { format: 'es', plugins: () => [migrationFiles()] },
      }
    : {
        plugins: [builtWorkerUrl(), migrationFiles()],
        build: {
          outDir: 'dist',
          emptyOutDir: true,
          target: 'es2022',
          sourcemap: false,
          copyPublicDir: false,
          lib: {
            entry: {
              index: 'src/index.ts',
              node: 'src/node.ts',
              elements: 'src/app/elements.ts',
              cli: 'src/cli/main.ts',
            },
            formats: ['es'],
          },
          rolldownOptions: { external },
        },
      },
);

/**
 * The import graph's rules (`npm run lint:graph`, part of `npm test`): no cycles, and no import points up
 * the layers of ARCHITECTURE.md. Each rule names a layer and what it may import inside src/; anything
 * else it imports there is an error.
 */
const ERRORS = 'src/errors[.]ts$';

/**
 * `layer` (a folder of src/) may import only itself and `below` (folders of src/), and errors.ts, util/
 * (small helpers that import nothing of the project) and packages.
 */
function layer(name, below) {
  const allowed = [name, ...below, 'util'].map((folder) => `^src/${folder}/`);
  return {
    name: `${name}-imports-only-below`,
    comment: `src/${name}/ may import only ${[...below, 'errors.ts', 'util'].join(', ')} inside src/`,
    severity: 'error',
    from: { path: `^src/${name}/` },
    to: { path: '^src/', pathNot: [...allowed, ERRORS] },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'no module may import itself again at run time (a cycle through `import type` is erased by the compiler)',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'errors-is-the-bottom',
      severity: 'error',
      from: { path: ERRORS },
      to: { path: '^src/' },
    },
    {
      name: 'util-imports-nothing',
      severity: 'error',
      from: { path: '^src/util/' },
      to: { path: '^src/', pathNot: '^src/util/' },
    },
    layer('schema', []),
    layer('contract', ['schema']),
    // importTrajectories detects and converts agent logs with the pure importers.
    layer('store', ['contract', 'schema', 'importers']),
    layer('protocol', ['contract', 'schema']),
    // The worker is another thread: the client reaches it only through the protocol, never by import.
    layer('worker', ['protocol', 'store', 'contract', 'schema']),
    layer('client', ['protocol', 'store', 'contract', 'schema']),
    layer('recorder', ['contract', 'schema']),
    layer('importers', ['schema']),
    // The team server (Node only) reads and checks documents with the store's own pure modules.
    layer('server', ['store', 'contract', 'schema']),
    {
      name: 'the-package-never-imports-its-tools',
      comment: 'src/ is the package: it never imports the demo feed, tests, benchmarks or scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(demo|test|e2e|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

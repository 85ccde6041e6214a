/**
 * `migrations/NNN_name.sql?migration` (src/store/migration-files.ts): the file's text and its checksum, computed
 * here once per build instead of on every worker start (41 KB of SQL hashed in JS: 15-40 ms of a cold open,
 * measured). The files stay the one source of truth; test/migrations.test.ts checks each checksum against its file.
 * Every Vite config that builds or tests the store uses this plugin (vite.config.ts, vite.lib.config.ts,
 * bench/vitest.config.ts): without it the import fails to load, loudly.
 */
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { checksum } from './src/store/migration-checksum.js';

const QUERY = '?migration';

export function migrationFiles(): Plugin {
  return {
    name: 'trajectory-store:migration-files',
    enforce: 'pre',
    load(id) {
      if (!id.endsWith(`.sql${QUERY}`)) return null;
      const path = id.slice(0, -QUERY.length);
      this.addWatchFile(path);
      const sql = readFileSync(path, 'utf8');
      return `export default ${JSON.stringify({ sql, checksum: checksum(sql) })};`;
    },
  };
}

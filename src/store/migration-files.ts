/**
 * The schema's one source of truth is `migrations/*.sql`; the bundler (Vite, Vitest) inlines the files here, each
 * with its checksum computed at build time (`?migration`: vite-plugin-migrations.ts), so the built library carries
 * them and a worker start hashes nothing.
 */
import { type MigrationFile, migrationsInOrder } from './migrations.js';

const files = import.meta.glob<MigrationFile>('../../migrations/*.sql', {
  query: '?migration',
  import: 'default',
  eager: true,
});

export const MIGRATIONS = migrationsInOrder(files);
export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? '';

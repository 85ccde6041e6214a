/**
 * The schema's one source of truth is `migrations/*.sql`; the bundler (Vite,
 * Vitest) inlines the files here, so the built library carries them.
 */
import { migrationsFromFiles } from './migrations.js';

const files = import.meta.glob<string>('../../migrations/*.sql', { query: '?raw', import: 'default', eager: true });

export const MIGRATIONS = migrationsFromFiles(files);
export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? '';

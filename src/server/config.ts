/**
 * The team server's configuration: environment variables, each overridable by
 * a `serve-team` flag. Every value is checked at start, and a wrong one is
 * named in the error.
 */
import { z } from 'zod';
import { TrajectoryStoreError } from '../errors.js';
import { zodIssues } from '../schema/issues.js';

export interface TeamServerConfig {
  databaseUrl: string;
  /** The address to listen on: loopback unless asked (put a TLS proxy in front to serve a network). */
  host: string;
  port: number;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins: string[];
  /** Largest request body, in bytes (a batch of JSONL). */
  maxBatchBytes: number;
  /** Most lines in one batch. */
  maxBatchItems: number;
  /** Requests a token may make per minute (a burst of this many, refilled evenly). */
  rateLimitPerMinute: number;
}

/** Each setting's environment variable. */
export const ENV = {
  databaseUrl: 'TRAJECTORY_TEAM_DATABASE_URL',
  host: 'TRAJECTORY_TEAM_HOST',
  port: 'TRAJECTORY_TEAM_PORT',
  corsOrigins: 'TRAJECTORY_TEAM_CORS_ORIGINS',
  maxBatchBytes: 'TRAJECTORY_TEAM_MAX_BATCH_BYTES',
  maxBatchItems: 'TRAJECTORY_TEAM_MAX_BATCH_ITEMS',
  rateLimitPerMinute: 'TRAJECTORY_TEAM_RATE_LIMIT',
} as const satisfies Record<keyof TeamServerConfig, string>;

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 7979,
  maxBatchBytes: 16 * 1024 * 1024,
  maxBatchItems: 1000,
  rateLimitPerMinute: 600,
} as const;

const count = (min: number) => z.coerce.number().int().min(min);
const ConfigSchema = z.strictObject({
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  host: z.string().min(1).default(DEFAULTS.host),
  port: count(0).max(65535).default(DEFAULTS.port),
  corsOrigins: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  maxBatchBytes: count(1024).default(DEFAULTS.maxBatchBytes),
  maxBatchItems: count(1).default(DEFAULTS.maxBatchItems),
  rateLimitPerMinute: count(1).default(DEFAULTS.rateLimitPerMinute),
});

/** The configuration from `env`, with `flags` (set ones) taking precedence. */
export function teamServerConfig(
  env: Record<string, string | undefined>,
  flags: Partial<Record<keyof TeamServerConfig, string>> = {},
): TeamServerConfig {
  const raw: Record<string, string> = {};
  for (const [key, variable] of Object.entries(ENV)) {
    const value = flags[key as keyof TeamServerConfig] ?? env[variable];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error).map((issue) => {
      const key = issue.path.split(/[.[]/)[0] as keyof TeamServerConfig;
      return { path: `${ENV[key] ?? issue.path}`, message: issue.message };
    });
    throw TrajectoryStoreError.validation('team server configuration', issues);
  }
  return parsed.data;
}

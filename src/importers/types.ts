/**
 * The contract every agent-log importer keeps: a cheap `detect` from a file's
 * name and first bytes, and a pure `convert` to ATIF documents. Nothing here
 * touches the file system or the store, so importers run alike in Node (the
 * command line) and in a browser (`importTrajectories`).
 */
import type { Issue } from '../errors.js';
import type { AtifTrajectory } from '../schema/atif.js';
import type { ImportFormat } from '../schema/query.js';

/** What an importer reads: the whole file, as text or bytes, and its name when known. */
export interface LogSource {
  name?: string;
  content: string | Uint8Array;
}

/** What `detect` sees: the name and the first few kilobytes, decoded as UTF-8 (a zip's binary header included). */
export interface LogProbe {
  name?: string;
  head: string;
}

/** One converted log: its trajectories, and every part of it that could not be mapped (`{path, message}`). */
export interface ConvertedLog {
  format: AgentLogFormat;
  trajectories: AtifTrajectory[];
  warnings: Issue[];
}

export type AgentLogFormat = Extract<ImportFormat, 'claude-code' | 'codex' | 'inspect-ai' | 'otel-genai'>;

export interface AgentLogImporter {
  format: AgentLogFormat;
  /** Says what it reads, for help text and messages. */
  description: string;
  detect(probe: LogProbe): boolean;
  convert(source: LogSource): ConvertedLog;
}

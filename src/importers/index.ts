/**
 * The agent-log importers and their detection: `detectAgentLog` names the
 * importer for a file from its name and first bytes (cheap, no parsing of the
 * whole), `convertAgentLog` converts it to ATIF.
 */
import { claudeCodeImporter } from './claude-code.js';
import { codexImporter } from './codex.js';
import { inspectAiImporter } from './inspect-ai.js';
import { otelGenAiImporter } from './otel-genai.js';
import { probeHead } from './text.js';
import type { AgentLogImporter, ConvertedLog, LogSource } from './types.js';

export type { AgentLogImporter, ConvertedLog, LogSource } from './types.js';

/** In the order they are tried; each detect rules out the others' files. */
export const AGENT_LOG_IMPORTERS: readonly AgentLogImporter[] = [
  codexImporter,
  claudeCodeImporter,
  inspectAiImporter,
  otelGenAiImporter,
];

export function detectAgentLog(source: LogSource): AgentLogImporter | undefined {
  const probe = { name: source.name, head: probeHead(source.content) };
  return AGENT_LOG_IMPORTERS.find((importer) => importer.detect(probe));
}

/** Converts a file one of the importers recognises; undefined when none does. */
export function convertAgentLog(source: LogSource): ConvertedLog | undefined {
  return detectAgentLog(source)?.convert(source);
}

/** Builds a database exactly as the original desktop tool left it, and writes to it as that tool did. */
import { readFileSync } from 'node:fs';
import type { Database } from '@sqlite.org/sqlite-wasm';
import type { TestGenData } from '../src/schema/testgen.js';

export const ORIGINAL_SCHEMA = readFileSync(new URL('./fixtures/original-desktop-tool.sql', import.meta.url), 'utf8');

export function createOriginalDatabase(db: Database): void {
  db.exec(ORIGINAL_SCHEMA);
}

/**
 * The original insertTestGenTrajectory: two inserts, no transaction, foreign
 * keys off, a snake_case document, `testgen-v1.0`, step_count 0.
 */
export function originalInsertTestGen(
  db: Database,
  data: TestGenData,
  options: { orphan?: boolean; asciiJson?: boolean } = {},
): void {
  const doc = {
    session_id: data.sessionId,
    task_id: data.taskId,
    task_description: data.taskDescription,
    total_tests: data.totalTests,
    total_rounds: data.totalRounds,
    category_rounds: data.categoryRounds,
    comprehensiveness_score: data.comprehensivenessScore,
    total_tokens_used: data.totalTokensUsed,
    duration_ms: data.durationMs,
    tests: data.tests,
    reflections: data.reflections,
    environment: data.environment,
    uncertainties: data.uncertainties,
    model_name: data.modelName,
  };
  db.exec({
    sql: `INSERT INTO trajectories (session_id, schema_version, agent_name, model_name, step_count, total_tokens, trajectory)
          VALUES (?, 'testgen-v1.0', 'testgen', ?, 0, ?, ?)`,
    bind: [
      data.sessionId,
      data.modelName ?? null,
      data.totalTokensUsed,
      options.asciiJson ? asciiJson(doc) : JSON.stringify(doc),
    ],
  });
  // The tool's second insert could fail on its own, leaving the first row an orphan.
  if (options.orphan) return;
  db.exec({
    sql: `INSERT INTO testgen_trajectories (session_id, task_id, task_description, total_tests, total_rounds,
            category_rounds, comprehensiveness_score, total_tokens_used, duration_ms, tests, reflections,
            environment, uncertainties)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    bind: [
      data.sessionId,
      data.taskId,
      data.taskDescription,
      data.totalTests,
      data.totalRounds,
      JSON.stringify(data.categoryRounds),
      data.comprehensivenessScore,
      data.totalTokensUsed,
      data.durationMs,
      JSON.stringify(data.tests),
      JSON.stringify(data.reflections),
      JSON.stringify(data.environment),
      JSON.stringify(data.uncertainties),
    ],
  });
}

/** JSON with every non-ASCII character \u-escaped, as Python's json.dumps writes it by default. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

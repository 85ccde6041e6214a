/**
 * A stored test-generation session as the detail view shows it: tests
 * grouped by category (in the order categories first appear), with each
 * category's rounds. Read defensively: an imported document may be loose.
 */
import { isRecord } from '../../schema/json.js';
export interface TestView {
  id: string | null;
  input: string;
  expectedOutput: string | null;
  reasoning: string | null;
  confidence: number | null;
}

export interface CategoryView {
  category: string;
  tests: TestView[];
  /** From `categoryRounds`; null when the session did not record it. */
  rounds: number | null;
  averageConfidence: number | null;
}

export interface ReflectionView {
  category: string | null;
  text: string;
  action: string | null;
}

export interface TestGenView {
  taskId: string;
  taskDescription: string;
  status: 'complete' | 'failed' | 'incomplete' | string;
  error: string | null;
  score: number | null;
  totalTests: number;
  totalRounds: number | null;
  totalTokensUsed: number | null;
  durationMs: number | null;
  modelName: string | null;
  startedAt: string | null;
  completedAt: string | null;
  categories: CategoryView[];
  /** Categories with rounds but no tests, and every category's rounds, in one list. */
  rounds: Array<{ category: string; rounds: number }>;
  reflections: ReflectionView[];
  uncertainties: string[];
  environment: {
    platform: string | null;
    languages: string[];
    prohibitedTools: string[];
    fileCount: number | null;
    /** File previews as the HUD sent them, for display as text. */
    filePreviews: unknown;
  } | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function readTestGen(data: unknown): TestGenView {
  const d = isRecord(data) ? data : {};
  const categoryRounds = isRecord(d.categoryRounds) ? d.categoryRounds : {};
  const groups = new Map<string, TestView[]>();
  for (const raw of Array.isArray(d.tests) ? d.tests : []) {
    if (!isRecord(raw)) continue;
    const category = str(raw.category) ?? 'uncategorised';
    const test: TestView = {
      id: str(raw.id),
      input: str(raw.input) ?? '',
      expectedOutput: str(raw.expectedOutput),
      reasoning: str(raw.reasoning),
      confidence: num(raw.confidence),
    };
    groups.set(category, [...(groups.get(category) ?? []), test]);
  }
  const categories: CategoryView[] = [...groups].map(([category, tests]) => {
    const confidences = tests.map((t) => t.confidence).filter((c): c is number => c !== null);
    return {
      category,
      tests,
      rounds: num(categoryRounds[category]),
      averageConfidence: confidences.length ? confidences.reduce((a, b) => a + b, 0) / confidences.length : null,
    };
  });
  const rounds = Object.entries(categoryRounds)
    .filter((entry): entry is [string, number] => num(entry[1]) !== null)
    .map(([category, n]) => ({ category, rounds: n }));
  const env = isRecord(d.environment) ? d.environment : null;
  return {
    taskId: str(d.taskId) ?? '',
    taskDescription: str(d.taskDescription) ?? '',
    status: str(d.status) ?? 'complete',
    error: str(d.error),
    score: num(d.comprehensivenessScore),
    totalTests: num(d.totalTests) ?? categories.reduce((n, c) => n + c.tests.length, 0),
    totalRounds: num(d.totalRounds),
    totalTokensUsed: num(d.totalTokensUsed),
    durationMs: num(d.durationMs),
    modelName: str(d.modelName),
    startedAt: str(d.startedAt),
    completedAt: str(d.completedAt),
    categories,
    rounds,
    reflections: (Array.isArray(d.reflections) ? d.reflections : []).filter(isRecord).map((r) => ({
      category: str(r.category),
      text: str(r.reflectionText) ?? '',
      action: str(r.action),
    })),
    uncertainties: strings(d.uncertainties),
    environment: env
      ? {
          platform: str(env.platform),
          languages: strings(env.languages),
          prohibitedTools: strings(env.prohibitedTools),
          fileCount: num(env.fileCount),
          filePreviews: env.filePreviews,
        }
      : null,
  };
}

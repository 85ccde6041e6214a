/** Terminal output: tables sized to their content, numbers people read, and the transcript of `show`. */
import type { StoredTrajectory, TrajectorySummary } from '../contract/results.js';
import { isRecord } from '../schema/json.js';

export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, maxWidth = 60): string {
  const clip = (cell: string) => {
    const flat = cell.replace(/\s+/g, ' ');
    return flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat;
  };
  const cells = [headers, ...rows].map((row) => row.map(clip));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const count = (n: number | null | undefined) => (n == null ? '-' : n.toLocaleString('en-US'));
export const usd = (n: number | null | undefined) =>
  n == null ? '-' : `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;
export const when = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '-');

export const SUMMARY_HEADERS = ['ID', 'AGENT', 'MODEL', 'STATUS', 'STEPS', 'TOKENS', 'COST', 'CREATED'];

export function summaryRow(s: TrajectorySummary): string[] {
  return [
    s.id,
    s.agentName,
    s.modelName ?? '-',
    s.status,
    count(s.stepCount),
    count(s.totalTokens),
    usd(s.totalCostUsd),
    when(s.createdAt),
  ];
}

/** A readable transcript: each step with its source, text, reasoning, tool calls, results and tokens. */
export function transcript({ summary, trajectory }: StoredTrajectory, width = 100): string {
  const out: string[] = [];
  out.push(`${summary.id}  ${summary.agentName}${summary.modelName ? ` · ${summary.modelName}` : ''}`);
  out.push(
    `${count(summary.stepCount)} steps · ${count(summary.totalTokens)} tokens · ${usd(summary.totalCostUsd)} · ${when(summary.firstStepAt)} → ${when(summary.lastStepAt)}`,
  );
  const steps = isRecord(trajectory) && Array.isArray(trajectory.steps) ? trajectory.steps : [];
  if (!Array.isArray((trajectory as { steps?: unknown }).steps) && isRecord(trajectory)) {
    out.push('', indent(clipText(JSON.stringify(trajectory, null, 2), width * 40)));
  }
  for (const step of steps) {
    if (!isRecord(step)) continue;
    out.push('');
    const metrics = isRecord(step.metrics) ? step.metrics : undefined;
    const tokens = metrics
      ? ` · ${count(Number(metrics.prompt_tokens ?? 0))} in / ${count(Number(metrics.completion_tokens ?? 0))} out${typeof metrics.cost_usd === 'number' ? ` · ${usd(metrics.cost_usd)}` : ''}`
      : '';
    out.push(
      `── ${step.step_id} ${String(step.source)}${step.model_name ? ` (${step.model_name})` : ''}${step.timestamp ? ` · ${when(String(step.timestamp))}` : ''}${tokens}`,
    );
    if (typeof step.reasoning_content === 'string' && step.reasoning_content) {
      out.push(indent(`thinking: ${clipText(step.reasoning_content, width * 6)}`));
    }
    const message = contentText(step.message);
    if (message) out.push(indent(clipText(message, width * 20)));
    for (const call of Array.isArray(step.tool_calls) ? step.tool_calls : []) {
      if (!isRecord(call)) continue;
      const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
      out.push(
        indent(`→ ${String(call.function_name)}(${clipText(args ?? '', width * 2)})  [${String(call.tool_call_id)}]`),
      );
    }
    const results =
      isRecord(step.observation) && Array.isArray(step.observation.results) ? step.observation.results : [];
    for (const result of results) {
      if (!isRecord(result)) continue;
      const from = typeof result.source_call_id === 'string' ? ` [${result.source_call_id}]` : '';
      out.push(indent(`← result${from}: ${clipText(contentText(result.content), width * 6)}`));
    }
  }
  return out.join('\n');
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        isRecord(part) && typeof part.text === 'string' ? part.text : isRecord(part) ? `[${String(part.type)}]` : '',
      )
      .join('\n');
  }
  return content == null ? '' : JSON.stringify(content);
}

function clipText(text: string, max: number): string {
  return text.length > max
    ? `${text.slice(0, max)}… (${(text.length - max).toLocaleString('en-US')} more characters)`
    : text;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `   ${line}`)
    .join('\n');
}

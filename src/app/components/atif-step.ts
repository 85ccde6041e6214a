/**
 * One ATIF step as an article of the timeline: its source, time, model and
 * metrics, message, reasoning, tool calls with their arguments, and
 * observations. The step is read defensively (stored documents from imports
 * may be loose) and every value is rendered as text.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { contentBlocks, jsonText, type ContentBlock } from '../format/content.js';
import { formatCost, formatTime, formatTokens } from '../format/numbers.js';
import { isRecord } from '../../schema/json.js';

type Loose = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Reasoning longer than this starts folded. */
const OPEN_REASONING_CHARS = 600;

export function renderBlocks(blocks: ContentBlock[]): TemplateResult {
  return html`${blocks.map((block) =>
    block.kind === 'text'
      ? html`<div class="text">${block.text}</div>`
      : block.kind === 'media'
        ? html`<div class="media">${block.text}</div>`
        : html`<pre class="json">${block.text}</pre>`,
  )}`;
}

function metricsLine(metrics: Loose): TemplateResult | typeof nothing {
  const prompt = num(metrics.prompt_tokens);
  const completion = num(metrics.completion_tokens);
  const cached = num(metrics.cached_tokens);
  const cost = num(metrics.cost_usd);
  const parts = [
    prompt === null ? null : `${formatTokens(prompt)} in`,
    completion === null ? null : `${formatTokens(completion)} out`,
    cached === null || cached === 0 ? null : `${formatTokens(cached)} cached`,
    cost === null ? null : formatCost(cost),
  ].filter((p): p is string => p !== null);
  return parts.length === 0
    ? nothing
    : html`<span class="metrics" title="Tokens and cost of this step">${parts.join(' · ')}</span>`;
}

function renderToolCall(call: unknown): TemplateResult {
  if (!isRecord(call)) return html`<pre class="json">${jsonText(call)}</pre>`;
  const args = call.arguments;
  return html`
    <div class="tool-call">
      <div class="tool-head"><span class="tool-name">${text(call.function_name) ?? '(unnamed tool)'}</span>
        ${text(call.tool_call_id) ? html`<span class="call-id">${call.tool_call_id as string}</span>` : nothing}</div>
      ${args === undefined || args === null ? nothing : html`<pre class="args" aria-label="Arguments">${jsonText(args)}</pre>`}
    </div>
  `;
}

function renderResult(result: unknown, onOpenSession: (id: string) => void): TemplateResult {
  if (!isRecord(result)) return html`<pre class="json">${jsonText(result)}</pre>`;
  const refs = list(result.subagent_trajectory_ref).filter(isRecord);
  return html`
    <div class="observation">
      ${text(result.source_call_id) ? html`<div class="obs-head">Result of <span class="call-id">${result.source_call_id as string}</span></div>` : nothing}
      ${renderBlocks(contentBlocks(result.content))}
      ${refs.map((ref) => {
        const id = text(ref.trajectory_id) ?? text(ref.session_id);
        const label = id ?? text(ref.trajectory_path) ?? 'subagent';
        return id
          ? html`<button class="subagent" @click=${() => onOpenSession(id)}>Open subagent run ${label}</button>`
          : html`<span class="subagent">Subagent run: ${label}</span>`;
      })}
    </div>
  `;
}

/** The step's own status or error, as the original tool's agents wrote them in `extra`. */
function extraNotes(step: Loose): TemplateResult | typeof nothing {
  const extra = isRecord(step.extra) ? step.extra : {};
  const status = text(extra.status);
  const error = text(extra.error) ?? (isRecord(extra.error) ? jsonText(extra.error) : null);
  if (!status && !error) return nothing;
  return html`<div class="step-extra">${status ? html`<span class="badge neutral">${status}</span>` : nothing}
    ${error ? html`<span class="step-error">${error}</span>` : nothing}</div>`;
}

export function renderAtifStep(step: unknown, index: number, onOpenSession: (id: string) => void): TemplateResult {
  if (!isRecord(step))
    return html`<article class="step" role="listitem"><pre class="json">${jsonText(step)}</pre></article>`;
  const source = text(step.source) ?? 'unknown';
  const id = num(step.step_id) ?? index + 1;
  const reasoning = text(step.reasoning_content);
  const calls = list(step.tool_calls);
  const results = isRecord(step.observation) ? list(step.observation.results) : [];
  const copied = step.is_copied_context === true;
  return html`
    <article class="step source-${source}" role="listitem" aria-label="Step ${id}, ${source}" data-step=${id}>
      <header class="step-head">
        <span class="step-id">#${id}</span>
        <span class="source">${source}</span>
        ${text(step.timestamp) ? html`<time datetime=${step.timestamp as string}>${formatTime(step.timestamp as string)}</time>` : nothing}
        ${text(step.model_name) ? html`<span class="model">${step.model_name as string}</span>` : nothing}
        ${step.reasoning_effort !== undefined && step.reasoning_effort !== null ? html`<span class="muted">effort ${String(step.reasoning_effort)}</span>` : nothing}
        ${copied ? html`<span class="badge neutral" title="Context copied from an earlier trajectory">copied</span>` : nothing}
        ${isRecord(step.metrics) ? metricsLine(step.metrics) : nothing}
      </header>
      ${renderBlocks(contentBlocks(step.message))}
      ${
        reasoning
          ? html`<details class="reasoning" ?open=${reasoning.length <= OPEN_REASONING_CHARS}>
            <summary>Reasoning</summary><div class="text">${reasoning}</div></details>`
          : nothing
      }
      ${calls.length > 0 ? html`<div class="calls" aria-label="Tool calls">${calls.map(renderToolCall)}</div>` : nothing}
      ${results.length > 0 ? html`<div class="results" aria-label="Observations">${results.map((r) => renderResult(r, onOpenSession))}</div>` : nothing}
      ${extraNotes(step)}
    </article>
  `;
}

/**
 * One agent run as the HUD streams it: `atif_trajectory_start`, then per step
 * `atif_step_recorded` and the whole step (`atif_step`), then
 * `atif_trajectory_complete` with the totals. A run may delegate a subtask to
 * a child run (`atif_subagent_spawned`), whose messages interleave with the
 * parent's; the parent's delegating step refers to the child's session.
 */
import type { AtifMessage } from '../src/schema/hud.js';
import type { AtifStep } from '../src/schema/atif.js';
import type { DemoAgentAction, DemoTask } from './demo-content.js';
import type { TimedMessage } from './demo-testgen.js';
import type { Random } from './random.js';

export interface DemoAtifRunOptions {
  sessionId: string;
  runId: string;
  agentName: string;
  agentType: string;
  model: string;
  task: DemoTask;
  /** Epoch milliseconds of the run's first message: step timestamps count from it. */
  startAt: number;
  /** `stalled`: the feed stops after a few steps. */
  outcome: 'complete' | 'stalled';
  parentSessionId?: string;
  /** Delegate a subtask to a child run, generated with this run. */
  subagent?: { sessionId: string; subtaskId: string; agentName: string; agentType: string; task: DemoTask };
}

const SYSTEM_PROMPT =
  'You are a coding agent working in a Linux container. Use the tools to inspect files, run commands and edit code. ' +
  'Verify your work before you finish, and end with a short summary.';

/** Per-million-token prices for the demo's cost figures (input, cached input, output). */
const PRICE = { input: 3, cached: 0.3, output: 15 };

export function demoAtifRun(rng: Random, options: DemoAtifRunOptions): Array<TimedMessage<AtifMessage>> {
  const { sessionId, runId } = options;
  const out: Array<TimedMessage<AtifMessage>> = [];
  let at = 0;
  const send = (gapMs: number, message: AtifMessage) => {
    at += gapMs;
    out.push({ atMs: at, message });
  };
  const timestamp = () => new Date(options.startAt + at).toISOString();
  const totals = { prompt: 0, completion: 0, cached: 0, cost: 0 };
  let stepId = 0;

  const emitStep = (gapMs: number, step: Omit<AtifStep, 'step_id' | 'timestamp'>) => {
    stepId++;
    at += gapMs;
    const whole = { step_id: stepId, timestamp: timestamp(), ...step } as AtifStep;
    const hasToolCalls = (whole.tool_calls?.length ?? 0) > 0;
    send(0, {
      type: 'atif_step_recorded',
      sessionId,
      stepId,
      source: whole.source,
      hasToolCalls,
      hasObservation: !!whole.observation,
    });
    send(rng.int(20, 80), { type: 'atif_step', runId, sessionId, step: whole });
  };

  const metrics = () => {
    const prompt = 1800 + stepId * 1100 + rng.int(0, 400);
    const cached = stepId > 3 ? Math.floor(prompt * (0.6 + rng.next() * 0.3)) : 0;
    const completion = rng.int(60, 650);
    const cost = Math.round((prompt - cached) * PRICE.input + cached * PRICE.cached + completion * PRICE.output) / 1e6;
    totals.prompt += prompt;
    totals.cached += cached;
    totals.completion += completion;
    totals.cost += cost;
    return { prompt_tokens: prompt, completion_tokens: completion, cached_tokens: cached, cost_usd: cost };
  };

  const agentStep = (gapMs: number, action: DemoAgentAction, extra: { refs?: string[] } = {}) => {
    const calls = action.calls.map((call, k) => ({
      tool_call_id: `call_${runId.slice(-6)}_${stepId + 1}_${k + 1}`,
      function_name: call.function_name,
      arguments: call.arguments,
    }));
    emitStep(gapMs, {
      source: 'agent',
      model_name: options.model,
      message: action.message,
      ...(action.reasoning ? { reasoning_content: action.reasoning, reasoning_effort: 'medium' } : {}),
      ...(calls.length > 0 ? { tool_calls: calls } : {}),
      ...(calls.length > 0
        ? {
            observation: {
              results: calls.map((call, k) => ({
                source_call_id: call.tool_call_id,
                content: action.calls[k]?.output ?? '',
                ...(extra.refs ? { subagent_trajectory_ref: extra.refs.map((id) => ({ session_id: id })) } : {}),
              })),
            },
          }
        : {}),
      metrics: metrics(),
    });
  };

  send(0, {
    type: 'atif_trajectory_start',
    sessionId,
    agentName: options.agentName,
    agentType: options.agentType,
    ...(options.parentSessionId ? { parentSessionId: options.parentSessionId } : {}),
  });
  emitStep(rng.int(100, 300), { source: 'system', message: SYSTEM_PROMPT });
  emitStep(rng.int(200, 500), { source: 'user', message: options.task.description });

  const actions = options.task.agentActions;
  const delegateAt = options.subagent ? Math.min(2, actions.length) : -1;
  const stallAfter =
    options.outcome === 'stalled' ? rng.int(1, Math.max(1, actions.length - 1)) : Number.POSITIVE_INFINITY;
  for (let i = 0; i < actions.length; i++) {
    if (i >= stallAfter) return byTime(out);
    if (i === delegateAt && options.subagent) delegate(options.subagent);
    agentStep(rng.int(1500, 4000), actions[i] as DemoAgentAction);
  }
  agentStep(rng.int(1500, 3000), { message: options.task.finalAnswer, calls: [] });
  send(rng.int(200, 500), {
    type: 'atif_trajectory_complete',
    sessionId,
    totalSteps: stepId,
    totalTokens: { prompt: totals.prompt, completion: totals.completion, cached: totals.cached },
    totalCostUsd: Math.round(totals.cost * 1e6) / 1e6,
    trajectoryPath: `.openagents/trajectories/${new Date(options.startAt).toISOString().slice(0, 10).replaceAll('-', '')}/${sessionId}.atif.json`,
  });
  return byTime(out);

  /** Spawns the child, lets it run to its end, then records the delegating step with the child's answer. */
  function delegate(child: NonNullable<DemoAtifRunOptions['subagent']>): void {
    send(rng.int(800, 1500), {
      type: 'atif_subagent_spawned',
      parentSessionId: sessionId,
      childSessionId: child.sessionId,
      subtaskId: child.subtaskId,
      agentType: child.agentType,
    });
    const childStart = at + rng.int(100, 300);
    const childMessages = demoAtifRun(rng, {
      sessionId: child.sessionId,
      runId,
      agentName: child.agentName,
      agentType: child.agentType,
      model: options.model,
      task: child.task,
      startAt: options.startAt + childStart,
      outcome: 'complete',
      parentSessionId: sessionId,
    });
    for (const m of childMessages) out.push({ atMs: childStart + m.atMs, message: m.message });
    const childEnd = childStart + (childMessages[childMessages.length - 1]?.atMs ?? 0);
    agentStep(
      childEnd - at + rng.int(300, 800),
      {
        message: `Delegating the verification of "${child.task.taskId}" to a ${child.agentType} subagent.`,
        calls: [
          {
            function_name: 'delegate_subtask',
            arguments: {
              subtask_id: child.subtaskId,
              agent_type: child.agentType,
              instructions: child.task.description,
            },
            output: `Subtask ${child.subtaskId} finished: ${child.task.finalAnswer}`,
          },
        ],
      },
      { refs: [child.sessionId] },
    );
  }
}

/** The child's messages were added as a block; the feed sends them in time order (stable for equal times). */
function byTime<M>(messages: Array<TimedMessage<M>>): Array<TimedMessage<M>> {
  return [...messages].sort((a, b) => a.atMs - b.atMs);
}

/**
 * One agent run assembled from its `atif_*` messages into an ATIF document,
 * saved with `insertTrajectory`.
 *
 * Choices: ATIF-v1.6, whose `session_id` is per trajectory like the HUD's
 * `sessionId` (v1.7 makes it run-scoped; the HUD's `runId` is kept in
 * `extra.run_id` instead). Steps are kept by `step_id`, a step sent again
 * replaces the earlier one, and they are numbered 1..n in order so that the
 * document is valid even when a step never arrived (a renumbered step keeps
 * the HUD's number in `extra.hud_step_id`). What the HUD says about the run
 * rather than a step (status, parent and child links, path, run id) goes to
 * the root `extra`: no step is invented to carry it.
 */
import type { AtifMessage, AtifSubagentSpawnedMessage } from '../schema/hud.js';
import { AtifTrajectorySchema, type AtifStep, type AtifTrajectory } from '../schema/atif.js';
import type { SaveResult, StoredTrajectory } from '../contract/results.js';
import { SessionRecord, type SessionDetails, type SessionOutcome } from './session.js';
import type { TrajectoryStore } from '../contract/store.js';

export const RECORDED_ATIF_VERSION = 'ATIF-v1.6';
/** ATIF requires an agent name and version; HUD messages carry neither version nor, before the start message, name. */
export const UNKNOWN_AGENT = 'unknown';

/** A child run this run spawned; `session_id` resolves it in the store (a v1.6 subagent reference). */
export interface SubagentLink {
  session_id: string;
  subtask_id: string;
  agent_type: string;
}

type FinalMetrics = NonNullable<AtifTrajectory['final_metrics']>;

/** Root `extra` keys the recorder writes; any other key of a resumed document is kept as it was. */
const RECORDER_EXTRA_KEYS = [
  'status',
  'recorded_by',
  'started_at',
  'run_id',
  'parent_session_id',
  'subtask_id',
  'subagents',
  'trajectory_path',
];

export class AtifSessionRecord extends SessionRecord {
  readonly kind = 'atif' as const;
  private agentName: string | null = null;
  private agentType: string | null = null;
  private runId: string | null = null;
  private parentSessionId: string | null = null;
  private subtaskId: string | null = null;
  private readonly steps = new Map<number, AtifStep>();
  /** Highest step id announced by `atif_step_recorded` (the live view counts steps before their content arrives). */
  private announcedSteps = 0;
  private readonly subagents = new Map<string, SubagentLink>();
  private finalMetrics: FinalMetrics | null = null;
  private trajectoryPath: string | null = null;
  private otherExtra: Record<string, unknown> = {};
  private ending: SessionOutcome = 'running';

  get outcome(): SessionOutcome {
    return this.ending;
  }

  apply(message: AtifMessage): void {
    switch (message.type) {
      case 'atif_trajectory_start':
        this.agentName = message.agentName;
        this.agentType = message.agentType;
        if (message.parentSessionId) this.parentSessionId = message.parentSessionId;
        break;
      case 'atif_step_recorded':
        this.announcedSteps = Math.max(this.announcedSteps, message.stepId);
        break;
      case 'atif_step':
        this.steps.set(message.step.step_id, message.step);
        this.runId = message.runId;
        break;
      case 'atif_subagent_spawned':
        this.addSubagent(message);
        break;
      case 'atif_trajectory_complete': {
        const tokens = message.totalTokens;
        this.finalMetrics = {
          total_steps: message.totalSteps,
          ...(tokens ? { total_prompt_tokens: tokens.prompt, total_completion_tokens: tokens.completion } : {}),
          ...(tokens?.cached != null ? { total_cached_tokens: tokens.cached } : {}),
          ...(message.totalCostUsd != null ? { total_cost_usd: message.totalCostUsd } : {}),
        };
        if (message.trajectoryPath) this.trajectoryPath = message.trajectoryPath;
        this.ending = 'complete';
        break;
      }
    }
  }

  /** This run is the child that `message` announces. */
  linkParent(message: Pick<AtifSubagentSpawnedMessage, 'parentSessionId' | 'subtaskId' | 'agentType'>): void {
    this.parentSessionId = message.parentSessionId;
    this.subtaskId = message.subtaskId;
    this.agentType ??= message.agentType;
  }

  resume(stored: StoredTrajectory): boolean {
    if (stored.summary.kind !== 'atif') return false;
    const parsed = AtifTrajectorySchema.safeParse(stored.trajectory);
    if (!parsed.success) return false;
    const doc = parsed.data;
    for (const step of doc.steps) {
      const { hud_step_id: hudId, ...extra } = step.extra ?? {};
      const key = typeof hudId === 'number' ? hudId : step.step_id;
      if (this.steps.has(key)) continue; // arrived live since: newer
      const { extra: _extra, ...rest } = step;
      this.steps.set(key, { ...rest, step_id: key, ...(Object.keys(extra).length > 0 ? { extra } : {}) });
    }
    if (doc.agent.name !== UNKNOWN_AGENT) this.agentName ??= doc.agent.name;
    const agentType = doc.agent.extra?.agent_type;
    if (typeof agentType === 'string') this.agentType ??= agentType;
    const extra = doc.extra ?? {};
    const text = (key: string) => (typeof extra[key] === 'string' ? (extra[key] as string) : null);
    this.runId ??= text('run_id');
    this.parentSessionId ??= text('parent_session_id');
    this.subtaskId ??= text('subtask_id');
    this.trajectoryPath ??= text('trajectory_path');
    if (Array.isArray(extra.subagents)) {
      for (const link of extra.subagents.filter(isSubagentLink)) {
        if (!this.subagents.has(link.session_id)) this.subagents.set(link.session_id, link);
      }
    }
    this.otherExtra = Object.fromEntries(Object.entries(extra).filter(([key]) => !RECORDER_EXTRA_KEYS.includes(key)));
    if (this.ending === 'running' && extra.status === 'complete') {
      this.finalMetrics ??= doc.final_metrics ?? null;
      this.ending = 'complete';
    }
    this.resumeStart(extra.started_at);
    return true;
  }

  /** The run as an ATIF document. */
  trajectory(): AtifTrajectory {
    const ordered = [...this.steps.values()].sort((a, b) => a.step_id - b.step_id);
    const steps = ordered.map((step, i) =>
      step.step_id === i + 1 ? step : { ...step, step_id: i + 1, extra: { ...step.extra, hud_step_id: step.step_id } },
    );
    const model = steps.find((s) => s.source === 'agent' && s.model_name)?.model_name;
    return {
      schema_version: RECORDED_ATIF_VERSION,
      session_id: this.id,
      agent: {
        name: this.agentName ?? UNKNOWN_AGENT,
        version: UNKNOWN_AGENT,
        ...(model ? { model_name: model } : {}),
        ...(this.agentType === null ? {} : { extra: { agent_type: this.agentType } }),
      },
      steps,
      ...(this.finalMetrics === null ? {} : { final_metrics: this.finalMetrics }),
      extra: {
        ...this.otherExtra,
        status: this.status,
        recorded_by: 'trajectory-store HUD recorder',
        started_at: new Date(this.startedAt).toISOString(),
        ...(this.runId === null ? {} : { run_id: this.runId }),
        ...(this.parentSessionId === null ? {} : { parent_session_id: this.parentSessionId }),
        ...(this.subtaskId === null ? {} : { subtask_id: this.subtaskId }),
        ...(this.subagents.size === 0 ? {} : { subagents: [...this.subagents.values()] }),
        ...(this.trajectoryPath === null ? {} : { trajectory_path: this.trajectoryPath }),
      },
    };
  }

  protected snapshot(): AtifTrajectory {
    return this.trajectory();
  }

  protected write(store: TrajectoryStore, trajectory: AtifTrajectory): Promise<SaveResult> {
    return store.insertTrajectory(trajectory);
  }

  protected item(trajectory: AtifTrajectory): { trajectory: AtifTrajectory } {
    return { trajectory };
  }

  hasContent(): boolean {
    return this.steps.size > 0 || this.subagents.size > 0 || this.ending !== 'running';
  }

  protected details(): SessionDetails {
    return {
      taskId: null,
      agentName: this.agentName,
      testCount: 0,
      testsByCategory: Object.freeze({}),
      reflectionCount: 0,
      stepCount: Math.max(this.steps.size, this.announcedSteps),
      phase: null,
      currentCategory: null,
      roundNumber: null,
      score: null,
      error: null,
      parentSessionId: this.parentSessionId,
    };
  }

  private addSubagent(message: AtifSubagentSpawnedMessage): void {
    this.subagents.set(message.childSessionId, {
      session_id: message.childSessionId,
      subtask_id: message.subtaskId,
      agent_type: message.agentType,
    });
  }
}

function isSubagentLink(value: unknown): value is SubagentLink {
  const link = value as Partial<SubagentLink> | null;
  return (
    typeof link === 'object' &&
    link !== null &&
    typeof link.session_id === 'string' &&
    typeof link.subtask_id === 'string' &&
    typeof link.agent_type === 'string'
  );
}

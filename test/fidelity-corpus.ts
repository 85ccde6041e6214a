/**
 * Documents shaped like the ones public producers really write (facts.md
 * section 3, issue 7), each written here as JSON text so that what JSON text
 * can say (`-0.0`, nulls, numbers as written) is what the store is given.
 * None is copied from anywhere: each reproduces one departure from the spec.
 */

/** name -> JSON text of one document. */
export const REAL_WORLD_SHAPES: Record<string, string> = {
  'terminus-style: an observation answers a tool call of an earlier step': `{
    "schema_version": "ATIF-v1.5", "session_id": "tb-run-1",
    "agent": {"name": "terminus-2", "version": "2.0.0", "model_name": "gpt-5"},
    "steps": [
      {"step_id": 1, "timestamp": "2025-10-02T10:00:00Z", "source": "user", "message": "Fix the build"},
      {"step_id": 2, "timestamp": "2025-10-02T10:00:05Z", "source": "agent", "message": "Running make",
       "tool_calls": [{"tool_call_id": "call_0", "function_name": "bash_command", "arguments": {"keystrokes": "make\\n", "duration": 1.0}}],
       "metrics": {"prompt_tokens": 1200, "completion_tokens": 40, "cached_tokens": 0, "cost_usd": 0.0031}},
      {"step_id": 3, "timestamp": "2025-10-02T10:00:09Z", "source": "system", "message": "",
       "observation": {"results": [{"source_call_id": "call_0", "content": "make: *** [all] Error 2"}]}}
    ],
    "final_metrics": {"total_prompt_tokens": 1200, "total_completion_tokens": 40, "total_cost_usd": 0.0031, "total_steps": 3}
  }`,
  'openhands-style: a source_call_id that is a sub-task id, and model_name on a user step': `{
    "schema_version": "ATIF-v1.6", "session_id": "oh-77",
    "agent": {"name": "openhands", "version": "0.59.0", "extra": {"runtime": "docker"}},
    "steps": [
      {"step_id": 1, "source": "user", "message": "Add a test", "model_name": "claude-sonnet-4-5"},
      {"step_id": 2, "source": "agent", "message": "Delegating", "model_name": "claude-sonnet-4-5",
       "observation": {"results": [{"source_call_id": "subtask-3f2a", "content": "sub-agent finished: 1 test added",
         "subagent_trajectory_ref": [{"session_id": "oh-77-sub-1", "trajectory_path": "sub/oh-77-sub-1.json"}]}]}}
    ]
  }`,
  'chat-style messages: [{role, content}] and null': `{
    "schema_version": "ATIF-v1.4", "session_id": "ot-0001",
    "agent": {"name": "openthoughts-agent", "version": "1"},
    "steps": [
      {"step_id": 1, "source": "system", "message": null},
      {"step_id": 2, "source": "user", "message": [{"role": "user", "content": "What is 2+2?"}]},
      {"step_id": 3, "source": "agent", "message": [{"role": "assistant", "content": [{"type": "text", "text": "4"}]}],
       "reasoning_content": "Simple arithmetic."}
    ]
  }`,
  'an observation as a plain string, and one without results': `{
    "schema_version": "ATIF-v1.3", "session_id": "nemo-12",
    "agent": {"name": "nemo-agent", "version": "0.1"},
    "steps": [
      {"step_id": 1, "source": "user", "message": "List files"},
      {"step_id": 2, "source": "agent", "message": "ls", "observation": "a.txt\\nb.txt"},
      {"step_id": 3, "source": "agent", "message": "cat a.txt", "observation": {"content": "hello", "exit_code": 0}}
    ]
  }`,
  'version strings "1.4" and a logprob of -0.0': `{
    "schema_version": "1.4", "session_id": "rl-5",
    "agent": {"name": "rl-policy", "version": "7"},
    "steps": [
      {"step_id": 1, "source": "user", "message": "Say hi"},
      {"step_id": 2, "source": "agent", "message": "hi",
       "metrics": {"prompt_tokens": 3, "completion_tokens": 1, "completion_token_ids": [6151],
                   "logprobs": [-0.0, -1.25e-7, 0.0, -0.0]}}
    ]
  }`,
  'version "1.0" and final_metrics ten times the steps': `{
    "schema_version": "1.0", "session_id": "sum-off",
    "agent": {"name": "batch-runner", "version": "3"},
    "steps": [
      {"step_id": 1, "source": "user", "message": "go"},
      {"step_id": 2, "source": "agent", "message": "done", "metrics": {"prompt_tokens": 100, "completion_tokens": 10, "cost_usd": 0.001}}
    ],
    "final_metrics": {"total_prompt_tokens": 1000, "total_completion_tokens": 100, "total_cost_usd": 0.01}
  }`,
  'the original orchestrator: object messages, zone-less timestamps, step extras, checkpoints': `{
    "schema_version": "ATIF-v1.4", "session_id": "orch-2025-11-12",
    "agent": {"name": "orchestrator", "version": "0.3", "model_name": "fm"},
    "checkpoints": [{"step": 2, "state": "saved"}], "recovery_info": {"resumed_from": null},
    "steps": [
      {"step_id": 1, "timestamp": "2025-11-12T22:22:17.361875", "source": "user", "message": {"kind": "task", "text": "Build it"}},
      {"step_id": 2, "timestamp": "2025-11-12T22:22:19.1", "source": "agent", "message": {"thought": "ok"},
       "status": "completed", "error": null, "completed_at": "2025-11-12T22:22:20",
       "tool_calls": [{"tool_call_id": "c1", "function_name": "bash", "arguments": {"cmd": "make", "source": "Makefile"}}],
       "observation": {"results": [{"source_call_id": "c1", "content": {"exit_code": 0, "stdout": "built", "timestamp": "kept as text"}}]}}
    ]
  }`,
  'v1.7 sub-agent linked by reference, no embedded trajectories': `{
    "schema_version": "ATIF-v1.7", "session_id": "review-run", "trajectory_id": "review-run/main",
    "agent": {"name": "reviewer", "version": "1.7.0"},
    "steps": [
      {"step_id": 1, "source": "user", "message": "Review PR 12"},
      {"step_id": 2, "source": "agent", "message": "Spawning a checker", "llm_call_count": 1,
       "tool_calls": [{"tool_call_id": "t1", "function_name": "spawn", "arguments": {"task": "lint"}}],
       "observation": {"results": [{"source_call_id": "t1", "content": "ok",
         "subagent_trajectory_ref": [{"trajectory_id": "review-run/lint", "trajectory_path": "lint.json"}]}]}}
    ]
  }`,
  'v1.7 with neither session_id nor trajectory_id': `{
    "schema_version": "ATIF-v1.7",
    "agent": {"name": "anon", "version": "1"},
    "steps": [{"step_id": 1, "source": "user", "message": "no ids here"}]
  }`,
  'misspelt known fields: agent.model, a step metric': `{
    "schema_version": "ATIF-v1.6", "session_id": "typo-1",
    "agent": {"name": "hand-rolled", "version": "1", "model": "gpt-4o"},
    "steps": [{"step_id": 1, "source": "agent", "message": "x", "metric": {"prompt_tokens": 1}}]
  }`,
  'missing rules: empty parts, llm_call_count 0 with metrics, sub-agents without or with repeated ids': `{
    "schema_version": "ATIF-v1.7", "trajectory_id": "parent",
    "agent": {"name": "lead", "version": "1"},
    "steps": [
      {"step_id": 1, "source": "user", "message": [{"type": "text"}, {"type": "image"}]},
      {"step_id": 2, "source": "agent", "message": "copied", "llm_call_count": 0, "metrics": {"prompt_tokens": 5},
       "observation": {"results": [{"content": "x", "subagent_trajectory_ref": [{"trajectory_id": "nowhere"}, {}]}]}}
    ],
    "subagent_trajectories": [
      {"schema_version": "ATIF-v1.7", "agent": {"name": "child", "version": "1"}, "steps": [{"step_id": 1, "source": "user", "message": "a"}]},
      {"schema_version": "ATIF-v1.7", "trajectory_id": "parent", "agent": {"name": "child", "version": "1"}, "steps": [{"step_id": 1, "source": "user", "message": "b"}]}
    ]
  }`,
  'an empty steps array': `{"schema_version": "ATIF-v1.6", "session_id": "empty-run", "agent": {"name": "a", "version": "1"}, "steps": []}`,
  'unicode: lone surrogates, emoji, NUL, CJK, big and tiny numbers': `{
    "schema_version": "ATIF-v1.6", "session_id": "unicode-1",
    "agent": {"name": "ü-agent", "version": "1"},
    "steps": [{"step_id": 1, "source": "user", "message": "\\ud800 lone, 🦀 crab, \\u0000 nul, 東京の天気",
      "extra": {"big": 1.7976931348623157e308, "tiny": 5e-324, "int": 9007199254740993, "neg": -0}}]
  }`,
};

/** A document whose observation content nests `depth` levels deep (issue 8: past 1,000 levels even the message was lost to search). */
export function deeplyNested(id: string, depth: number, word: string): Record<string, unknown> {
  let content: unknown = { note: `${word} at the bottom` };
  for (let i = 0; i < depth; i++) content = { level: [content] };
  return {
    schema_version: 'ATIF-v1.6',
    session_id: id,
    agent: { name: 'deep', version: '1' },
    steps: [
      { step_id: 1, source: 'user', message: `top message ${word}top` },
      { step_id: 2, source: 'agent', message: 'ok', observation: { results: [{ content }] } },
    ],
  };
}

/** Ten different tasks of one dataset run, all under one session_id and without trajectory_id. */
export function datasetRun(sessionId: string, count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    schema_version: 'ATIF-v1.5',
    session_id: sessionId,
    agent: { name: 'terminus-2', version: '2.0.0', model_name: 'gpt-5' },
    steps: [
      { step_id: 1, source: 'user', message: `Task ${i}: make test ${i} pass` },
      { step_id: 2, source: 'agent', message: `Working on task ${i}` },
    ],
  }));
}

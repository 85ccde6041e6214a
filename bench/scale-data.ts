/**
 * The documents of the scale benchmarks (browser-scale.ts, browser-import.ts): small and varied, so that 100,000
 * fit in minutes. Pure: browser-scale.ts sends scaleItems into the page as source, so it uses nothing outside it.
 */

/**
 * The insertMany items for indexes [start, start + count) of a store of
 * `total`: 9 in 10 are 4-step ATIF runs (3 agents, 2 models, words drawn
 * from a skewed vocabulary, one unique word each, 1 in 20 with CJK text, 1
 * in 30 without metrics), 1 in 10 testgen sessions with scores.
 * Deterministic, and self-contained: it is sent into the page as source.
 */
export function scaleItems(start: number, count: number, total: number): unknown[] {
  const hash = (n: number): number => {
    let x = (n ^ 0x9e3779b9) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
    return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
  };
  const COMMON = (
    'error fix test build the file function module config update check value run add remove change handle return ' +
    'parser timeout deploy refactor migration flaky retry cache index schema query socket worker session token auth ' +
    'login upload payment invoice search filter export import logger metrics queue thread memory leak crash regression ' +
    'latency bundle compile lint format docker kubernetes terraform database column table router endpoint handler ' +
    'middleware webhook cron email notification permission sidebar modal refactoring refactored component state props ' +
    'hook reducer selector stream buffer encoder decoder serializer validator scheduler allocator iterator generator'
  ).split(' ');
  const SYLLABLES =
    'ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo ra ri ru re ro'.split(
      ' ',
    );
  const CJK = [
    '東京都',
    '設定',
    'ファイル',
    'データベース',
    '検索',
    '修正',
    '性能',
    '接続',
    '認証',
    '日本語',
    '数据库',
    '中文',
    '한국어',
    '테스트',
  ];
  const AGENTS = ['claude-code', 'codex', 'aider'];
  const MODELS = ['claude-sonnet-4', 'gpt-5'];
  const TOOLS = ['read_file', 'edit_file', 'run_command', 'search_code', 'list_dir'];
  const TASKS = Array.from({ length: 20 }, (_, k) => `task-${k}`);
  const DAY = 86_400_000;
  const EPOCH = Date.UTC(2025, 0, 1);

  let seed = 0;
  const rand = () => hash(seed++);
  // Skewed: the first words of COMMON are in nearly every document, the last in few.
  const common = () => COMMON[Math.floor(COMMON.length * rand() ** 2.5)]!;
  // A long tail: some 1,200 made-up words, each in a few dozen documents at 100k.
  const tail = () => `${SYLLABLES[Math.floor(rand() * 35)]! + SYLLABLES[Math.floor(rand() * 35)]!}ion`;
  const words = (n: number) => Array.from({ length: n }, () => (rand() < 0.15 ? tail() : common())).join(' ');
  const cjk = () =>
    `${CJK[Math.floor(rand() * CJK.length)]}の${CJK[Math.floor(rand() * CJK.length)]}を${CJK[Math.floor(rand() * CJK.length)]}しました`;

  const items: unknown[] = [];
  for (let i = start; i < start + count; i++) {
    seed = i * 1000;
    // Runs start over 180 days, roughly in the order they are saved.
    const startMs = EPOCH + Math.floor((i / total) * 180 * DAY + rand() * DAY);
    if (i % 10 === 9) {
      const score = 1 + Math.round(rand() * 90) / 10;
      items.push({
        testgen: {
          sessionId: `tg-${i}`,
          taskId: TASKS[Math.floor(rand() * TASKS.length)]!,
          taskDescription: `Write tests for the ${words(6)}`,
          totalTests: 3,
          totalRounds: 1 + Math.floor(rand() * 5),
          categoryRounds: { anti_cheat: 1, existence: 1, correctness: 2 },
          comprehensivenessScore: score,
          totalTokensUsed: 2_000 + Math.floor(rand() * 40_000),
          durationMs: 10_000 + Math.floor(rand() * 200_000),
          tests: ['existence', 'correctness', 'anti_cheat'].map((category, k) => ({
            id: `t${k + 1}`,
            category,
            input: `run ${words(4)}`,
            expectedOutput: words(3),
            reasoning: words(8),
            confidence: 0.5 + rand() / 2,
          })),
          reflections: [{ category: 'correctness', reflectionText: words(10), action: 'refining' }],
          environment: { platform: 'linux', prohibitedTools: ['python'], languages: ['bash'], fileCount: 2 },
          uncertainties: [words(6)],
          modelName: MODELS[Math.floor(rand() * 2)]!,
          status: rand() < 0.9 ? 'complete' : 'failed',
          startedAt: new Date(startMs).toISOString(),
          completedAt: new Date(startMs + 60_000).toISOString(),
        },
      });
      continue;
    }
    const agent = AGENTS[Math.floor(rand() * 3)]!;
    const model = MODELS[Math.floor(rand() * 2)]!;
    const withMetrics = rand() >= 1 / 30;
    // Cost per run: mostly cents, a long tail up to ~10 cents.
    const cost = 0.002 + 0.1 * rand() ** 3;
    const withCjk = rand() < 0.05;
    const ticket = `ticket${i.toString(36)}`;
    const steps: unknown[] = [
      {
        step_id: 1,
        timestamp: new Date(startMs).toISOString(),
        source: 'user',
        message: `${words(12)} ${ticket}${withCjk ? ` ${cjk()}` : ''}`,
      },
    ];
    for (let s = 2; s <= 4; s++) {
      const callId = `call_${s}`;
      const tool = TOOLS[Math.floor(rand() * TOOLS.length)]!;
      steps.push({
        step_id: s,
        timestamp: new Date(startMs + s * (1000 + Math.floor(rand() * 20_000))).toISOString(),
        source: 'agent',
        message: words(8),
        model_name: model,
        reasoning_content: words(10),
        tool_calls: [
          { tool_call_id: callId, function_name: tool, arguments: { path: `src/${common()}/${common()}.ts` } },
        ],
        observation: {
          results: [{ source_call_id: callId, content: `${words(20)}${withCjk && s === 4 ? ` ${cjk()}` : ''}` }],
        },
        ...(withMetrics
          ? {
              metrics: {
                prompt_tokens: 200 + Math.floor(rand() * 8_000),
                completion_tokens: 20 + Math.floor(rand() * 800),
                cached_tokens: 0,
                cost_usd: cost / 3,
              },
            }
          : {}),
      });
    }
    items.push({
      schema_version: 'ATIF-v1.6',
      session_id: `run-${i}`,
      agent: { name: agent, version: '1.0.0', model_name: model },
      steps,
    });
  }
  return items;
}

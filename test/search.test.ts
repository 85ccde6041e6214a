import { beforeAll, describe, expect, test } from 'vitest';
import { parseSearch } from '../src/store/search-query.js';
import type { StoreCore } from '../src/store/store.js';
import { atifRun, openCore, testgenSession } from './fixtures.js';

let core: StoreCore;
const ids = (text: string, query = {}) =>
  core
    .searchTrajectories(text, query)
    .items.map((h) => h.id)
    .sort();

beforeAll(async () => {
  ({ core } = await openCore());
  core.insertTrajectory({
    schema_version: 'ATIF-v1.6',
    session_id: 'fields',
    agent: { name: 'probe', version: '1' },
    steps: [
      { step_id: 1, source: 'user', message: 'plain message about giraffes' },
      { step_id: 2, source: 'user', message: { structured: { nested: 'structured pelicans' } } },
      { step_id: 3, source: 'user', message: [{ type: 'text', text: 'content part walruses' }] },
      {
        step_id: 4,
        source: 'agent',
        message: '',
        reasoning_content: 'reasoning about octopuses',
        tool_calls: [
          { tool_call_id: 'c1', function_name: 'grep_codebase', arguments: { pattern: 'flamingo_pattern' } },
        ],
        observation: { results: [{ source_call_id: 'c1', content: 'observation mentions narwhals' }] },
      },
      {
        step_id: 5,
        source: 'agent',
        message: 'x',
        observation: { results: [{ content: { stdout: 'structured observation badgers' } }] },
      },
    ],
  });
  core.insertTestGenTrajectory(
    testgenSession('testgen-fields', {
      taskDescription: 'task description hedgehogs',
      tests: [
        {
          id: 't1',
          category: 'boundary',
          input: 'input lemurs',
          expectedOutput: 'expected meerkats',
          reasoning: 'reasoning ocelots',
          confidence: 0.5,
        },
      ],
      reflections: [{ reflectionText: 'reflection armadillos', action: 'assessing' }],
      uncertainties: ['uncertainty pangolins'],
    }),
  );
  core.insertTrajectory(atifRun('accents', { text: 'Le café était crème brûlée à Zürich' }));
  core.insertTrajectory(atifRun('japanese', { text: '昨日は東京タワーに行きました。とても楽しかったです' }));
  core.insertTrajectory(atifRun('chinese', { text: '我们正在测试全文搜索功能是否正常工作' }));
  core.insertTrajectory(atifRun('rank-strong', { text: 'timeout timeout timeout in the build' }));
  core.insertTrajectory(
    atifRun('rank-weak', {
      text: 'one timeout in a long message about many other things entirely unrelated to builds',
    }),
  );
  core.insertTrajectory(
    atifRun('syntax', { text: 'error: "quoted" AND (parens) -minus col:on 100% under_score 🎉 emoji' }),
  );
});

describe('finds text in every field', () => {
  test.each([
    ['giraffes', 'fields'],
    ['pelicans', 'fields'],
    ['walruses', 'fields'],
    ['octopuses', 'fields'],
    ['grep_codebase', 'fields'],
    ['flamingo_pattern', 'fields'],
    ['narwhals', 'fields'],
    ['badgers', 'fields'],
    ['hedgehogs', 'testgen-fields'],
    ['lemurs', 'testgen-fields'],
    ['meerkats', 'testgen-fields'],
    ['ocelots', 'testgen-fields'],
    ['armadillos', 'testgen-fields'],
    ['pangolins', 'testgen-fields'],
  ])('%s', (word, id) => {
    expect(ids(word)).toEqual([id]);
  });
});

describe('other languages', () => {
  test('accents are folded both ways', () => {
    expect(ids('cafe')).toEqual(['accents']);
    expect(ids('café')).toEqual(['accents']);
    expect(ids('creme brulee')).toEqual(['accents']);
    expect(ids('zurich')).toEqual(['accents']);
    expect(ids('ZÜRICH')).toEqual(['accents']);
  });

  test('a Japanese or Chinese word inside a longer run of text', () => {
    expect(ids('東京タワー')).toEqual(['japanese']);
    expect(ids('東京')).toEqual(['japanese']);
    expect(ids('楽しかった')).toEqual(['japanese']);
    expect(ids('全文搜索')).toEqual(['chinese']);
    expect(ids('测试')).toEqual(['chinese']);
    expect(ids('大阪')).toEqual([]);
  });

  test('mixed with words, and excluded', () => {
    expect(ids('東京 reading')).toEqual(['japanese']);
    expect(ids('reading -東京')).not.toContain('japanese');
    expect(ids('東京 OR 测试')).toEqual(['chinese', 'japanese']);
  });

  test('snippets highlight the match', () => {
    const hit = core.searchTrajectories('東京タワー').items[0]!;
    const [start, end] = hit.snippet.highlights[0]!;
    expect(hit.snippet.text.slice(start, end)).toContain('東京');
    const short = core.searchTrajectories('測試 OR 测试').items[0]!;
    expect(short.snippet.text.slice(...short.snippet.highlights[0]!)).toBe('测试');
  });
});

describe('ranking and snippets', () => {
  test('best matches first, with a bm25 rank', () => {
    const hits = core.searchTrajectories('timeout').items;
    expect(hits.map((h) => h.id)).toEqual(['rank-strong', 'rank-weak']);
    expect(hits[0]!.rank!).toBeLessThan(hits[1]!.rank!);
  });

  test('snippets are plain text with highlight ranges', () => {
    const hit = core.searchTrajectories('narwhals').items[0]!;
    expect(hit.snippet.highlights).toHaveLength(1);
    const [start, end] = hit.snippet.highlights[0]!;
    expect(hit.snippet.text.slice(start, end)).toBe('narwhals');
    expect(hit.snippet.text).not.toMatch(/[\u0002\u0003]/);
  });

  test('filters and keyset paging apply to search too', () => {
    expect(ids('reading', { agentName: 'probe' })).toEqual([]);
    const first = core.searchTrajectories('reading', { limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = core.searchTrajectories('reading', { limit: 2, cursor: first.nextCursor! });
    const all = core.searchTrajectories('reading').items.map((h) => h.id);
    expect([...first.items, ...second.items].map((h) => h.id)).toEqual(all.slice(0, 4));
  });

  test('an explicit order wins over rank', () => {
    const hits = core.searchTrajectories('timeout', { orderBy: 'createdAt', order: 'asc' }).items;
    expect(hits.map((h) => h.id)).toEqual(['rank-strong', 'rank-weak']);
    expect(core.searchTrajectories('timeout', { orderBy: 'createdAt', order: 'desc' }).items.map((h) => h.id)).toEqual([
      'rank-weak',
      'rank-strong',
    ]);
  });
});

describe('the query language', () => {
  test('all words must match; OR, -, NOT, phrases and prefixes work', () => {
    expect(ids('timeout build')).toEqual(['rank-strong']);
    expect(ids('timeout build*')).toEqual(['rank-strong', 'rank-weak']);
    expect(ids('timeout -unrelated')).toEqual(['rank-strong']);
    expect(ids('timeout NOT unrelated')).toEqual(['rank-strong']);
    expect(ids('giraffes OR walruses')).toEqual(['fields']);
    expect(ids('giraffes OR hedgehogs')).toEqual(['fields', 'testgen-fields']);
    expect(ids('"timeout in the build"')).toEqual(['rank-strong']);
    expect(ids('"build the in timeout"')).toEqual([]);
    expect(ids('giraf*')).toEqual(['fields']);
    expect(ids('giraf')).toEqual([]);
    expect(ids('-timeout')).not.toContain('rank-strong');
  });

  test('parses into groups and exclusions, never into FTS syntax', () => {
    expect(parseSearch('a OR b c -d NOT e "f g" h*')).toEqual({
      groups: [
        [
          { text: 'a', prefix: false, unsegmented: false, literal: false },
          { text: 'b', prefix: false, unsegmented: false, literal: false },
        ],
        [{ text: 'c', prefix: false, unsegmented: false, literal: false }],
        [{ text: 'f g', prefix: false, unsegmented: false, literal: false }],
        [{ text: 'h', prefix: true, unsegmented: false, literal: false }],
      ],
      excluded: [
        { text: 'd', prefix: false, unsegmented: false, literal: false },
        { text: 'e', prefix: false, unsegmented: false, literal: false },
      ],
    });
  });

  const HOSTILE = [
    '"',
    '""',
    '"unterminated',
    'AND',
    'OR',
    'NOT',
    'a AND',
    'OR a',
    'NOT NOT',
    '*',
    '-',
    '--',
    '-*',
    '(',
    ')',
    '())(',
    'col:on',
    'body:timeout',
    '^timeout',
    'NEAR(a b)',
    '{a b}:c',
    "'; DROP TABLE trajectories; --",
    '%',
    '_',
    '\\',
    '🎉',
    '👍🏽 emoji',
    '\u0000',
    'a\u0000b',
    '"time\u0000out"',
    '-\u0000',
    '\u0002\u0003',
    '  ',
    '',
    '\n\t',
    'a'.repeat(10_000),
    'word '.repeat(2_000),
    '東'.repeat(5_000),
    'x"y"z',
    '"a" "b"',
    'a* *b',
    'timeout*',
    '100%',
    'under_score',
    '(parens)',
  ];
  test.each(HOSTILE.map((h) => [JSON.stringify(h).slice(0, 40), h]))('%s is a valid query', (_label, text) => {
    expect(() => core.searchTrajectories(text)).not.toThrow();
  });

  test('typed syntax is literal text: punctuation and operators inside quotes find the words', () => {
    expect(ids('"quoted" AND (parens)')).toEqual(['syntax']);
    expect(ids('col:on')).toEqual(['syntax']);
    expect(ids('under_score')).toEqual(['syntax']);
    expect(ids('100%')).toEqual(['syntax']);
    expect(core.info().trajectoryCount).toBe(8);
  });

  test('control characters separate words: a NUL is never handed to FTS5 (issue 8: "unterminated string")', () => {
    expect(ids('timeout\u0000build')).toEqual(['rank-strong']);
    expect(ids('"timeout\u0000in the build"')).toEqual(['rank-strong']);
    expect(ids('\u0000')).toHaveLength(8);
    const exported = core.exportTrajectories({ format: 'jsonl', text: 'timeout\u0000build' });
    expect(exported.trim().split('\n')).toHaveLength(1);
  });

  test('a term with no letter or digit is searched as written, not dropped (issue 8: every row came back)', () => {
    expect(ids('%')).toEqual(['syntax']);
    expect(ids('🎉')).toEqual(['syntax']);
    expect(ids('(')).toEqual(['syntax']);
    expect(ids('🎉 emoji')).toEqual(['syntax']);
    expect(ids('≈')).toEqual([]);
    expect(ids('-%')).toHaveLength(7);
    expect(ids('-%')).not.toContain('syntax');
    expect(parseSearch('%* 🎉').groups).toEqual([
      [{ text: '%', prefix: false, unsegmented: false, literal: true }],
      [{ text: '🎉', prefix: false, unsegmented: false, literal: true }],
    ]);
    const [hit] = core.searchTrajectories('%').items;
    expect(hit!.snippet.text.slice(...hit!.snippet.highlights[0]!)).toBe('%');
  });

  test('an empty query lists everything, newest first, without snippets', () => {
    const page = core.searchTrajectories('   ');
    expect(page.items).toHaveLength(8);
    expect(page.items.every((h) => h.rank === null && h.snippet.text === '')).toBe(true);
  });

  test('text that is not a string is a validation error', () => {
    expect(() => core.searchTrajectories(42 as never)).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});

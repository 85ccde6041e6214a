/** The commands that read the database: list, search, show, stats. */
import type { StatsGroup } from '../../contract/results.js';
import { usd, count, SUMMARY_HEADERS, summaryRow, table, transcript } from '../format.js';
import { stringValue, type Command, type CommandContext } from '../command.js';
import { CliError, EXIT, usageError } from '../exit-codes.js';
import { FILTER_HELP, FILTER_OPTIONS, filterFrom, ORDER_HELP, ORDER_OPTIONS, orderFrom } from './filters.js';

const CURSOR_OPTION = { cursor: { type: 'string' } } as const;

export const listCommand: Command = {
  name: 'list',
  summary: 'list trajectories (newest first), with filters',
  usage: 'trajectory-store list [filters] [--order-by FIELD] [--limit N] [--json]',
  help: `${FILTER_HELP}\n${ORDER_HELP}\n  --cursor C           the next page (the cursor the previous page printed)\n\nExample:\n  trajectory-store list --agent codex --since 7d --order-by totalCostUsd`,
  options: { ...FILTER_OPTIONS, ...ORDER_OPTIONS, ...CURSOR_OPTION },
  async run(context) {
    const query = { ...filterFrom(context.values), ...orderFrom(context.values), ...cursor(context) };
    return withDatabase(context, (core) => {
      const page = core.listTrajectories(query);
      printPage(context, page.items, page.nextCursor, () => []);
      return EXIT.ok;
    });
  },
};

export const searchCommand: Command = {
  name: 'search',
  summary: 'full-text search of every message, tool call and result',
  usage: 'trajectory-store search TEXT [filters] [--order-by FIELD] [--limit N] [--json]',
  help: `TEXT is a search as the app takes it: words (all of them), "an exact phrase", pars* (a prefix),
-word or NOT word, a OR b. Best matches first unless --order-by.

${FILTER_HELP}\n${ORDER_HELP}\n  --cursor C           the next page\n\nExample:\n  trajectory-store search '"read_file" timeout -retry' --agent claude-code`,
  options: { ...FILTER_OPTIONS, ...ORDER_OPTIONS, ...CURSOR_OPTION },
  async run(context) {
    const text = context.positionals.join(' ');
    if (text.trim() === '') throw usageError('search needs the TEXT to search for');
    const query = { ...filterFrom(context.values), ...orderFrom(context.values), ...cursor(context) };
    return withDatabase(context, (core) => {
      const page = core.searchTrajectories(text, query);
      printPage(context, page.items, page.nextCursor, (hit) => [hit.snippet.text]);
      return EXIT.ok;
    });
  },
};

export const showCommand: Command = {
  name: 'show',
  summary: "print one trajectory's transcript: steps, tool calls, results, tokens, cost",
  usage: 'trajectory-store show ID [--json]',
  help: 'With --json, prints {summary, trajectory} as stored (the document exactly as it was saved).',
  options: {},
  async run(context) {
    const [id, ...rest] = context.positionals;
    if (id === undefined || rest.length > 0) throw usageError('show needs exactly one trajectory ID');
    return withDatabase(context, (core) => {
      const found = core.getTrajectory(id);
      if (!found) throw new CliError('not_found', `no trajectory ${JSON.stringify(id)}`, EXIT.notFound);
      context.io.out(context.json ? JSON.stringify(found) : transcript(found, context.io.stdout.columns ?? 100));
      return EXIT.ok;
    });
  },
};

export const statsCommand: Command = {
  name: 'stats',
  summary: 'counts, tokens and cost by agent and by model',
  usage: 'trajectory-store stats [filters] [--json]',
  help: `${FILTER_HELP}\n\nWith --json, prints the store's whole statistics object (totals, byAgent, byModel, byDay...).`,
  options: { ...FILTER_OPTIONS },
  async run(context) {
    const filter = filterFrom(context.values);
    return withDatabase(context, (core) => {
      const stats = core.getStats(filter);
      if (context.json) {
        context.io.out(JSON.stringify(stats));
        return EXIT.ok;
      }
      const { totals } = stats;
      context.io.out(
        `${count(totals.count)} trajectories · ${count(totals.stepCount)} steps · ${count(totals.totalTokens)} tokens · ${usd(totals.totalCostUsd)}`,
      );
      context.io.out('');
      context.io.out(
        groupTable(
          'AGENT',
          stats.byAgent.map((g) => ({ ...g, key: g.agentName })),
        ),
      );
      context.io.out('');
      context.io.out(
        groupTable(
          'MODEL',
          stats.byModel.map((g) => ({ ...g, key: g.modelName ?? '-' })),
        ),
      );
      return EXIT.ok;
    });
  },
};

/** A stats group as a table: its key, then its counts. */
function groupTable(title: string, rows: ReadonlyArray<StatsGroup & { key: string }>): string {
  return table(
    [title, 'TRAJECTORIES', 'STEPS', 'TOKENS', 'COST'],
    rows.map((row) => [row.key, count(row.count), count(row.stepCount), count(row.totalTokens), usd(row.totalCostUsd)]),
  );
}

function cursor(context: CommandContext): Record<string, unknown> {
  const value = stringValue(context.values, 'cursor');
  return value === undefined ? {} : { cursor: value };
}

type Core = Awaited<ReturnType<CommandContext['open']>>['core'];

export async function withDatabase(context: CommandContext, work: (core: Core) => number): Promise<number> {
  const database = await context.open({ write: false });
  try {
    return work(database.core);
  } finally {
    database.close();
  }
}

function printPage<T extends Parameters<typeof summaryRow>[0]>(
  { io, json }: CommandContext,
  items: readonly T[],
  nextCursor: string | undefined,
  extra: (item: T) => string[],
): void {
  if (json) {
    for (const item of items) io.out(JSON.stringify(item));
    if (nextCursor) io.err(JSON.stringify({ nextCursor }));
    return;
  }
  if (items.length === 0) {
    io.out('(no trajectories)');
    return;
  }
  const withExtra = extra(items[0] as T).length > 0;
  io.out(
    table(
      [...SUMMARY_HEADERS, ...(withExtra ? ['MATCH'] : [])],
      items.map((item) => [...summaryRow(item), ...extra(item)]),
    ),
  );
  if (nextCursor) io.err(`more: add --cursor ${nextCursor}`);
}

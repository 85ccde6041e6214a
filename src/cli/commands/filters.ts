/** The query filters as flags, shared by list, search, stats and export. */
import { usageError } from '../exit-codes.js';
import { stringValue, type Options, type Values } from '../command.js';
import { ORDER_BY } from '../../schema/query.js';

export const FILTER_OPTIONS: Options = {
  agent: { type: 'string' },
  model: { type: 'string' },
  session: { type: 'string' },
  task: { type: 'string' },
  kind: { type: 'string' },
  status: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
};

export const FILTER_HELP = `Filters:
  --agent NAME         agent name (claude-code, codex, inspect-ai...)
  --model NAME         model name
  --session ID         session id
  --task ID            testgen task id
  --kind atif|testgen  one kind of trajectory
  --status STATUS      running, complete, failed or incomplete (where the store records a status)
  --since WHEN         saved at or after WHEN: an ISO date or time, or 30m, 12h, 7d ago
  --until WHEN         saved at or before WHEN`;

export const ORDER_OPTIONS: Options = {
  'order-by': { type: 'string' },
  asc: { type: 'boolean' },
  limit: { type: 'string' },
};

export const ORDER_HELP = `Order and size:
  --order-by FIELD     ${ORDER_BY.join(', ')} (newest first unless --asc)
  --asc                ascending
  --limit N            at most N rows (1 to 1000, default 50)`;

/** The filter flags as the store's filter object. */
export function filterFrom(values: Values): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const set = (flag: string, field: string, value = stringValue(values, flag)) => {
    if (value !== undefined) filter[field] = value;
  };
  set('agent', 'agentName');
  set('model', 'modelName');
  set('session', 'sessionId');
  set('task', 'taskId');
  set('kind', 'kind');
  set('status', 'status');
  set('since', 'createdFrom', instant(stringValue(values, 'since'), '--since'));
  set('until', 'createdTo', instant(stringValue(values, 'until'), '--until'));
  return filter;
}

export function orderFrom(values: Values): Record<string, unknown> {
  const order: Record<string, unknown> = {};
  const orderBy = stringValue(values, 'order-by');
  if (orderBy !== undefined) {
    if (!(ORDER_BY as readonly string[]).includes(orderBy)) {
      throw usageError(`--order-by must be one of ${ORDER_BY.join(', ')} (got ${JSON.stringify(orderBy)})`);
    }
    order.orderBy = orderBy;
  }
  if (values.asc === true) order.order = 'asc';
  const limit = stringValue(values, 'limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw usageError(`--limit must be a whole number from 1 to 1000 (got ${limit})`);
    order.limit = n;
  }
  return order;
}

const RELATIVE = /^(\d+)\s*(m|h|d|w)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `7d` as the ISO time 7 days ago; an ISO date or time as it is (the store checks it). */
function instant(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const relative = RELATIVE.exec(value.trim());
  if (relative) {
    const [, amount, unit] = relative;
    return new Date(Date.now() - Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]).toISOString();
  }
  if (Number.isNaN(Date.parse(value)))
    throw usageError(`${flag} must be an ISO date or time, or like 30m, 12h, 7d (got ${JSON.stringify(value)})`);
  return value;
}

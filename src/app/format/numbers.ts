/** Numbers, sizes, money and times as a person reads them; `—` for unknown. */
export const UNKNOWN = '—';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? UNKNOWN : integer.format(n);
}

/** Token counts: exact below 10,000, compact above (12.3K). */
export function formatTokens(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return UNKNOWN;
  return Math.abs(n) < 10_000 ? integer.format(n) : compact.format(n);
}

/** US dollars with enough digits for small per-step costs ($0.0042), two for large ones ($12.34). */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return UNKNOWN;
  if (usd === 0) return '$0';
  const digits = Math.abs(usd) >= 1 ? 2 : Math.abs(usd) >= 0.01 ? 3 : 4;
  return `$${usd.toFixed(digits)}`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return UNKNOWN;
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${integer.format(value)} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A comprehensiveness score out of 10. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return UNKNOWN;
  return `${Number.isInteger(score) ? score : score.toFixed(1)}/10`;
}

/** 0..1 as a whole percentage. */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return UNKNOWN;
  return `${Math.round(share * 100)}%`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return UNKNOWN;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Local date and time; the text itself when it is not a date. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return UNKNOWN;
  const date = parse(iso);
  return date ? dateTime.format(date) : iso;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return UNKNOWN;
  const date = parse(iso);
  return date ? timeOnly.format(date) : iso;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 minutes ago", "yesterday"; beyond a week, the date. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  const date = parse(iso);
  if (!date) return iso ?? UNKNOWN;
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(0, 'second');
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
  return dateTime.format(date);
}

/**
 * What a sum over the trajectories that report a figure leaves out: "3 of 5 known" when some do not report
 * it; null when all do, or none (then the sum itself is unknown, `—`).
 */
export function knownShare(known: number, count: number): string | null {
  return known > 0 && known < count ? `${formatCount(known)} of ${formatCount(count)} known` : null;
}

/** "1 trajectory", "1,234 trajectories". */
export function formatCountOf(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

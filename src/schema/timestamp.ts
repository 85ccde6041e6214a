/**
 * ISO 8601 timestamps as agents really write them: with `Z`, with an offset,
 * or with no zone at all (read as UTC, so that a stored value never depends on
 * the time zone of the machine that reads it), with any number of fractional
 * digits, or a bare date.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:(Z|z)|([+-])(\d{2}):?(\d{2}))?$/;

/** What normalizeTimestamp returns, as JavaScript's toISOString writes it (and so do most recorders). */
const NORMAL_FORM = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;

/** Returns the instant as `YYYY-MM-DDTHH:MM:SS.sssZ`, or null when the text is not an ISO 8601 timestamp. */
export function normalizeTimestamp(text: string): string | null {
  // Text in the normal form already is its own answer once its fields are in range: no Date to build (a save
  // reads every step's timestamp twice, and the Date's work was a tenth of a save's JS).
  const normal = NORMAL_FORM.exec(text);
  if (normal && inRange(normal)) return text;
  const m = ISO_8601.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', , sign, oh = '00', om = '00'] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d);
  const hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  if (Number(oh) > 23 || Number(om) > 59) return null;
  const ms = Number(`${frac}000`.slice(0, 3));
  // Not Date.UTC: it reads years 0-99 as 1900-1999. setUTCFullYear takes the year as written.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), ms);
  // Dates roll over (2025-02-30 becomes March 2): refuse dates that do not exist.
  if (date.getUTCDate() !== day) return null;
  const local = date.getTime();
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  const instant = new Date(local - offsetMinutes * 60_000);
  // Stored text orders as time only with a four-digit year: an offset that moves the instant past 0000-9999 is refused.
  const utcYear = instant.getUTCFullYear();
  if (utcYear < 0 || utcYear > 9999) return null;
  return instant.toISOString();
}

/** Whether the fields of a timestamp in the normal form name a moment that exists (second 60 is left to the Date). */
function inRange([, y, mo, d, h, mi, s]: RegExpExecArray): boolean {
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days && Number(h) <= 23 && Number(mi) <= 59 && Number(s) <= 59;
}

/**
 * ISO 8601 timestamps as agents really write them: with `Z`, with an offset,
 * or with no zone at all (read as UTC, so that a stored value never depends on
 * the time zone of the machine that reads it), with any number of fractional
 * digits, or a bare date.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:(Z|z)|([+-])(\d{2}):?(\d{2}))?$/;

/** Returns the instant as `YYYY-MM-DDTHH:MM:SS.sssZ`, or null when the text is not an ISO 8601 timestamp. */
export function normalizeTimestamp(text: string): string | null {
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

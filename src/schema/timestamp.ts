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
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  // Date.UTC rolls 2025-02-30 over into March: refuse dates that do not exist.
  if (new Date(local).getUTCDate() !== day) return null;
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  return new Date(local - offsetMinutes * 60_000).toISOString();
}

/** China Standard Time: no daylight saving, so every bare date starts at the same offset. */
const CHINA_OFFSET = '+08:00';

const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 date or date-time as an instant. A bare date (`2026-11-01`) means midnight China time
 * (`2026-11-01T00:00:00+08:00`), the day the gateways and the merchants count in; a date-time needs
 * its offset (`Z` or `+08:00`), so a command never depends on the machine's time zone. Null when the
 * text is neither, or names a day or time that does not exist (`2026-02-30`, `24:00:00`).
 */
export function parseReconcileInstant(text: string): Date | null {
  const bare = BARE_DATE.exec(text);
  if (bare) return realDay(bare[1], bare[2], bare[3]) ? new Date(`${text}T00:00:00${CHINA_OFFSET}`) : null;
  const full = DATE_TIME.exec(text);
  if (!full) return null;
  const [, y, m, d, hh, mm, ss] = full;
  if (!realDay(y, m, d) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
  const at = new Date(text.replace(' ', 'T'));
  return Number.isNaN(at.getTime()) ? null : at;
}

function realDay(year: string, month: string, day: string): boolean {
  const at = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    at.getUTCFullYear() === Number(year) && at.getUTCMonth() === Number(month) - 1 && at.getUTCDate() === Number(day)
  );
}

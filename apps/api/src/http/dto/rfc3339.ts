import { unstorableDateReason } from '@refundhub/core';

/**
 * The one date format the API accepts: an RFC 3339 date-time with an explicit offset,
 * `2025-01-01T12:00:00+08:00` or `2025-01-01T04:00:00Z`.
 *
 * ISO-8601 allows far more (`20250101`, `2025-W01`, `2025-001`, a date alone, a time without an
 * offset), and `new Date()` reads some of it as something else or not at all: `2025-001` becomes
 * 1 January in silence, and a date-time without an offset is read in the server's own zone.
 * RFC 3339 names exactly one instant, and every date-time library writes it.
 *
 * - `T` and `Z` may be lower case (RFC 3339 §5.6); a space instead of `T` is refused.
 * - Seconds are required; a fraction of 1 to 9 digits is kept to the millisecond (refundhub's
 *   precision), the rest cut off.
 * - The calendar is checked: no 30 February, no hour 24, no leap second (60): JavaScript dates
 *   cannot hold one. Offsets run from -23:59 to +23:59.
 */
const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** The message of a date field that is not RFC 3339 with an offset. */
export const RFC3339_MESSAGE = 'must be an RFC 3339 date-time with an offset, e.g. 2025-01-01T12:00:00+08:00';

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; setUTCFullYear keeps years below 100 as they are.
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/**
 * The instant `text` names, or null when it is not an RFC 3339 date-time with an offset. An
 * instant outside the years both databases store (see {@link rfc3339Problem}) is returned as it is.
 */
export function parseRfc3339(text: string): Date | null {
  const match = RFC3339_DATE_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const fraction = match[7] ?? '';
  const [sign, offsetHours, offsetMinutes] = [match[9], Number(match[10] ?? 0), Number(match[11] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;

  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000 * (sign === '-' ? -1 : 1);
  const instant = new Date(date.getTime() - offsetMs);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/**
 * Why `text` is not a date the API takes, or null: not RFC 3339 with an offset, or an instant
 * outside years 1 to 9999 UTC (`0000-01-01T00:00:00Z`, `9999-12-31T23:59:59-01:00`), which
 * PostgreSQL would refuse.
 */
export function rfc3339Problem(text: string): string | null {
  const instant = parseRfc3339(text);
  return instant === null ? RFC3339_MESSAGE : unstorableDateReason(instant);
}

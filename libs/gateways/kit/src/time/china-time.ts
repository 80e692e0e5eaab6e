import type { GatewayRuleRefusal } from '@refundhub/core';

/**
 * Every gateway speaks China Standard Time (UTC+8, no daylight saving) on the wire: request stamps,
 * order dates, refund times, refund windows. The server's own zone must never leak in, so all
 * arithmetic here is on UTC milliseconds shifted by eight hours.
 */
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export type ChinaTimePattern = 'yyyyMMddHHmmss' | 'yyyyMMdd' | 'HHmmss' | 'yyyy-MM-dd HH:mm:ss';

/** `date` as China wall-clock time in one of the patterns the gateways use. */
export function formatChinaTime(date: Date, pattern: ChinaTimePattern): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Cannot format an invalid Date as China time');
  const iso = new Date(date.getTime() + CHINA_OFFSET_MS).toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  switch (pattern) {
    case 'yyyy-MM-dd HH:mm:ss':
      return `${day} ${time}`;
    case 'yyyyMMddHHmmss':
      return `${day.replace(/-/g, '')}${time.replace(/:/g, '')}`;
    case 'yyyyMMdd':
      return day.replace(/-/g, '');
    case 'HHmmss':
      return time.replace(/:/g, '');
  }
}

/** Date and time parts with one separator style each: `-`, `/` or none; ` `, `T` or none; `:` or none. */
const CHINA_TIME = /^(\d{4})([-/]?)(\d{2})\2(\d{2})[ T]?(\d{2})(:?)(\d{2})\6(\d{2})(?:\.(\d{1,3}))?$/;

/**
 * Reads a China wall-clock timestamp: `yyyy-MM-dd HH:mm:ss` (Leshua, ChaoYing 2024), compact
 * `yyyyMMddHHmmss` (ChaoYing 2017, Baofoo), with `/` or `T` separators, optional milliseconds.
 * Anything else, and impossible dates such as 2025-02-30 or 24:00:00, is `undefined`: a time the
 * gateway wrote badly is not worth failing an answer for.
 */
export function parseChinaTime(text: string | null | undefined): Date | undefined {
  const match = CHINA_TIME.exec(text?.trim() ?? '');
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = [1, 3, 4, 5, 7, 8].map((i) => Number(match[i]));
  const millis = match[9] === undefined ? 0 : Number(match[9].padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC rolls 2025-02-30 over to March; a real date survives the round trip.
  if (wall.getUTCFullYear() !== year || wall.getUTCMonth() !== month - 1 || wall.getUTCDate() !== day) return undefined;
  return new Date(wall.getTime() - CHINA_OFFSET_MS);
}

/**
 * Calendar days from `from` to `to` as dates in China: 23:59 and 00:01 the next morning are one day
 * apart. Negative when `to` is the earlier day.
 */
export function chinaCalendarDaysBetween(from: Date, to: Date): number {
  return chinaDayNumber(to) - chinaDayNumber(from);
}

/**
 * The refusal of a refund asked more than `windowDays` calendar days (China time) after payment (UMF:
 * 90 days, Baofoo: one year), or undefined while the window is open or the payment time is unknown
 * (the gateway then decides). Pure, for `RefundGateway.validate`: `now` is the core's clock.
 *
 * @param input.gateway the gateway's id, repeated in the refusal's details.
 */
export function refundWindowRefusal(input: {
  gateway: string;
  paidAt: Date | null | undefined;
  now: Date;
  windowDays: number;
}): GatewayRuleRefusal | undefined {
  const { gateway, paidAt, now, windowDays } = input;
  if (!paidAt || Number.isNaN(paidAt.getTime())) return undefined;
  const days = chinaCalendarDaysBetween(paidAt, now);
  if (days <= windowDays) return undefined;
  return {
    code: 'REFUND_WINDOW_CLOSED',
    message:
      `${gateway} refunds only orders paid within the last ${windowDays} days; this one was paid on ` +
      `${formatChinaTime(paidAt, 'yyyy-MM-dd HH:mm:ss')} China time, ${days} days ago`,
    details: { gateway, paidAt: paidAt.toISOString(), windowDays },
  };
}

function chinaDayNumber(date: Date): number {
  return Math.floor((date.getTime() + CHINA_OFFSET_MS) / DAY_MS);
}

/** Where times are shown: China time (the gateways' and merchants' clock), the browser's zone, or UTC. */
export type TimeZoneChoice = 'Asia/Shanghai' | 'local' | 'UTC';
export const TIME_ZONES: readonly TimeZoneChoice[] = ['Asia/Shanghai', 'local', 'UTC'];

function zoneOf(choice: TimeZoneChoice): string | undefined {
  return choice === 'local' ? undefined : choice;
}

/**
 * `2025-01-01T04:00:00Z` in China time → `2025-01-01 12:00:00 UTC+8`: the same layout in every
 * language (sortable, unambiguous), with the zone's offset spelled out.
 */
export function formatTime(iso: string | null | undefined, choice: TimeZoneChoice): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zoneOf(choice),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // Engines spell UTC itself `GMT` or `GMT+0`; one spelling, and `UTC`, whichever runs the page.
  const offset = part('timeZoneName')
    .replace(/^GMT/, 'UTC')
    .replace(/^UTC[+-]0$/, 'UTC');
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${offset}`;
}

/** A duration as its two largest units: `3d 4h`, `5m 2s` (`3天4小时` in Chinese). */
export function formatAge(seconds: number, units: { d: string; h: string; m: string; s: string }): string {
  const whole = Math.max(0, Math.floor(seconds));
  const values: [number, string][] = [
    [Math.floor(whole / 86_400), units.d],
    [Math.floor((whole % 86_400) / 3600), units.h],
    [Math.floor((whole % 3600) / 60), units.m],
    [whole % 60, units.s],
  ];
  const first = values.findIndex(([value]) => value > 0);
  if (first === -1) return `0${units.s}`;
  return values
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join(units.d === 'd' ? ' ' : '');
}

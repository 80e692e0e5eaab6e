import { createHash } from 'node:crypto';

/**
 * Delays before each next status sync, by how many syncs already ran: about a minute at first
 * (Baofoo asks for at least one before the first query), then minutes, then hours, because
 * gateways may take 1-3 business days to settle a refund. The last step repeats.
 */
export const DEFAULT_SYNC_BACKOFF_MS: readonly number[] = [
  60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 21_600_000,
];

/** A refund still unfinished this long after it was created needs a person (`sync_exhausted`): three days. */
export const DEFAULT_SYNC_EXHAUST_AFTER_MS = 3 * 86_400_000;

/** Each delay is spread by up to this fraction either way, so refunds created together are not all queried together. */
export const DEFAULT_SYNC_JITTER = 0.1;

/** The schedule's step for this sync count (the last step repeats). */
export function nextSyncDelay(syncCount: number, schedule: readonly number[] = DEFAULT_SYNC_BACKOFF_MS): number {
  if (schedule.length === 0) throw new Error('The sync backoff schedule is empty');
  return schedule[Math.min(Math.max(syncCount, 0), schedule.length - 1)];
}

/**
 * `delay` spread by up to `jitter` (a fraction) either way. The spread is drawn from `key` (the
 * refund and its sync count), not from a random source: the same refund at the same step always
 * waits the same, so a test, a simulation or a replay sees one schedule, while different refunds
 * still spread out.
 */
export function withJitter(delay: number, jitter: number, key: string): number {
  if (jitter <= 0) return delay;
  const unit = createHash('sha256').update(key).digest().readUInt32BE(0) / 0x1_0000_0000;
  return Math.round(delay * (1 + jitter * (2 * unit - 1)));
}

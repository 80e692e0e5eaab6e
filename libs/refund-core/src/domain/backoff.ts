/**
 * Delay before the next status sync, by how many syncs already ran: seconds at first, then
 * minutes, then hours, because gateways may take 1-3 business days to settle a refund.
 */
export const DEFAULT_SYNC_BACKOFF_MS: readonly number[] = [
  5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000, 7_200_000,
  14_400_000, 21_600_000,
];

export function nextSyncDelay(syncCount: number, schedule: readonly number[] = DEFAULT_SYNC_BACKOFF_MS): number {
  if (schedule.length === 0) throw new Error('The sync backoff schedule is empty');
  return schedule[Math.min(Math.max(syncCount, 0), schedule.length - 1)];
}

import { DEFAULT_SYNC_BACKOFF_MS, nextSyncDelay } from './backoff';

describe('nextSyncDelay', () => {
  it('grows from seconds to minutes to hours and then stays at the last step', () => {
    expect(nextSyncDelay(0)).toBe(5_000);
    expect(nextSyncDelay(5)).toBe(120_000);
    expect(nextSyncDelay(10)).toBe(3_600_000);
    expect(nextSyncDelay(1000)).toBe(DEFAULT_SYNC_BACKOFF_MS[DEFAULT_SYNC_BACKOFF_MS.length - 1]);
  });

  it('is non-decreasing', () => {
    for (let i = 1; i < DEFAULT_SYNC_BACKOFF_MS.length; i++) {
      expect(DEFAULT_SYNC_BACKOFF_MS[i]).toBeGreaterThanOrEqual(DEFAULT_SYNC_BACKOFF_MS[i - 1]);
    }
  });

  it('uses a custom schedule', () => {
    expect(nextSyncDelay(1, [100, 200])).toBe(200);
    expect(() => nextSyncDelay(0, [])).toThrow(/empty/);
  });
});

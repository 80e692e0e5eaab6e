import { DEFAULT_SYNC_BACKOFF_MS, DEFAULT_SYNC_EXHAUST_AFTER_MS, nextSyncDelay, withJitter } from './backoff';

describe('nextSyncDelay', () => {
  it('starts near a minute, grows to hours and then stays at the last step', () => {
    expect(nextSyncDelay(0)).toBe(60_000);
    expect(nextSyncDelay(6)).toBe(3_600_000);
    expect(nextSyncDelay(1000)).toBe(21_600_000);
  });

  it('is non-decreasing', () => {
    for (let i = 1; i < DEFAULT_SYNC_BACKOFF_MS.length; i++) {
      expect(DEFAULT_SYNC_BACKOFF_MS[i]).toBeGreaterThanOrEqual(DEFAULT_SYNC_BACKOFF_MS[i - 1]);
    }
  });

  it('keeps asking for three days before a refund is called exhausted', () => {
    const total = (syncs: number) =>
      Array.from({ length: syncs }, (_, i) => nextSyncDelay(i)).reduce((sum, ms) => sum + ms, 0);
    let syncs = 0;
    while (total(syncs) < DEFAULT_SYNC_EXHAUST_AFTER_MS) syncs += 1;
    // Minutes apart at first, six hours apart at the end: about twenty queries over three days.
    expect(syncs).toBeGreaterThanOrEqual(15);
    expect(syncs).toBeLessThanOrEqual(25);
  });

  it('uses a custom schedule', () => {
    expect(nextSyncDelay(1, [100, 200])).toBe(200);
    expect(() => nextSyncDelay(0, [])).toThrow(/empty/);
  });
});

describe('withJitter', () => {
  it('spreads a delay by at most the fraction, the same way for the same key', () => {
    const spread = Array.from({ length: 200 }, (_, i) => withJitter(60_000, 0.1, `rf_${i}:0`));
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(54_000);
    expect(Math.max(...spread)).toBeLessThanOrEqual(66_000);
    expect(new Set(spread).size).toBeGreaterThan(100);
    expect(withJitter(60_000, 0.1, 'rf_1:3')).toBe(withJitter(60_000, 0.1, 'rf_1:3'));
  });

  it('leaves the delay alone without jitter', () => {
    expect(withJitter(60_000, 0, 'rf_1:0')).toBe(60_000);
  });
});

import { DEFAULT_WEBHOOK_BACKOFF_MS, WebhookSettings } from './webhook-settings';

describe(WebhookSettings.name, () => {
  const at = new Date('2026-01-05T04:00:00.000Z');
  const hours = (ms: number) => ms / 3_600_000;

  it('retries ten times over more than a day by default, then gives up', () => {
    const sut = WebhookSettings.from();
    expect(sut.maxAttempts).toBe(10);
    const total = DEFAULT_WEBHOOK_BACKOFF_MS.reduce((sum, ms) => sum + ms, 0);
    expect(hours(total)).toBeGreaterThan(24);
    expect(sut.nextAttemptAt(1, at)).toEqual(new Date(at.getTime() + 10_000));
    expect(sut.nextAttemptAt(6, at)).toEqual(new Date(at.getTime() + 6 * 3_600_000));
    expect(sut.nextAttemptAt(9, at)).toEqual(new Date(at.getTime() + 6 * 3_600_000));
    expect(sut.nextAttemptAt(10, at)).toBeNull();
    expect(sut.nextAttemptAt(11, at)).toBeNull();
  });

  it('holds a delivery well past one attempt, and refuses settings that would not', () => {
    expect(WebhookSettings.from({ timeoutMs: 30_000 }).leaseMs).toBe(90_000);
    expect(() => WebhookSettings.from({ timeoutMs: 10_000, leaseMs: 5_000 })).toThrow('must exceed');
    expect(() => WebhookSettings.from({ backoffMs: [1_000, 0] })).toThrow('positive delays');
  });
});

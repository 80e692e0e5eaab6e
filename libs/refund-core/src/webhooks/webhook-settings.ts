import type { RefundWebhookOptions } from '../refund-module.options';

/**
 * Delays before each next attempt of a delivery that failed: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h,
 * then 6 h three more times. Ten attempts spread over 26.6 hours, so a receiver that is down for a
 * day still gets every event; after the last one the delivery is given up (`failed`).
 */
export const DEFAULT_WEBHOOK_BACKOFF_MS: readonly number[] = [
  10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 21_600_000, 21_600_000, 21_600_000,
];

/** {@link RefundWebhookOptions} with defaults applied (secrets apart: see WebhookSecrets), checked at start-up. */
export class WebhookSettings {
  private constructor(
    readonly allowPrivateTargets: boolean,
    /** Delay after the n-th failed attempt (n from 1); one attempt more than there are delays. */
    readonly backoffMs: readonly number[],
    /** One attempt: connecting, sending, and the receiver's answer. */
    readonly timeoutMs: number,
    /** How long a round holds a delivery it is sending. */
    readonly leaseMs: number,
    readonly batchSize: number,
    /** Deliveries sent at once by one round. */
    readonly concurrency: number,
  ) {}

  static from(options: RefundWebhookOptions = {}): WebhookSettings {
    const backoffMs = options.backoffMs ?? DEFAULT_WEBHOOK_BACKOFF_MS;
    const timeoutMs = options.timeoutMs ?? 10_000;
    // Well past the longest attempt, so that a live sender never loses its delivery to another round.
    const leaseMs = options.leaseMs ?? Math.max(60_000, 3 * timeoutMs);
    const settings = new WebhookSettings(
      options.allowPrivateTargets ?? false,
      backoffMs,
      timeoutMs,
      leaseMs,
      options.batchSize ?? 50,
      options.concurrency ?? 8,
    );
    const positive = (name: string, value: number) => {
      if (!Number.isFinite(value) || value <= 0)
        throw new Error(`RefundModule option webhooks.${name} must be positive, got ${value}`);
    };
    positive('timeoutMs', timeoutMs);
    positive('leaseMs', leaseMs);
    positive('batchSize', settings.batchSize);
    positive('concurrency', settings.concurrency);
    if (leaseMs <= timeoutMs) throw new Error('RefundModule option webhooks.leaseMs must exceed webhooks.timeoutMs');
    if (backoffMs.some((ms) => !(Number.isFinite(ms) && ms > 0))) {
      throw new Error('RefundModule option webhooks.backoffMs must be a list of positive delays');
    }
    return settings;
  }

  /** Attempts before a delivery is given up: the first, then one per delay. */
  get maxAttempts(): number {
    return this.backoffMs.length + 1;
  }

  /** When to try again after `attempts` failed attempts, or null when the schedule is over. */
  nextAttemptAt(attempts: number, now: Date): Date | null {
    if (attempts >= this.maxAttempts) return null;
    return new Date(now.getTime() + this.backoffMs[Math.max(attempts, 1) - 1]);
  }
}

import { NotificationCourier, type CourierAnswer } from '@refundhub/gateway-kit/sandbox';

import { BAOFOO_NOTIFICATION_ACK } from '../baofoo.types';
import type { BaofooSandboxDelivery, BaofooSandboxNotificationRecord } from './baofoo-sandbox.types';

/** Real Baofoo spreads its 10 deliveries over 24 h; a simulator compresses that into about five minutes. */
const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

export interface BaofooSandboxNotifierOptions {
  maxAttempts?: number;
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
}

/**
 * Delivers notifications the way Baofoo does: again and again until the receiver answers the plain body
 * `OK`, at most `maxAttempts` times, waiting `retryDelaysMs` between deliveries. Each delivery goes through
 * the kit's {@link NotificationCourier} (node:http, its own timeout); every one is recorded.
 */
export class BaofooSandboxNotifier {
  private readonly log: BaofooSandboxNotificationRecord[] = [];
  private readonly chains = new Set<Promise<void>>();
  private readonly pauses = new Set<{ timer: NodeJS.Timeout; resume: () => void }>();
  private readonly couriers = new Set<NotificationCourier<BaofooSandboxDelivery>>();
  private readonly maxAttempts: number;
  private readonly delays: readonly number[];
  private readonly timeoutMs: number;
  private stopped = false;

  constructor(options: BaofooSandboxNotifierOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 10;
    this.delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? 5000;
    if (!Number.isSafeInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new Error('maxAttempts must be a positive integer');
    }
    if (this.delays.length === 0 || this.delays.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new Error('retryDelaysMs must be non-negative integers, at least one');
    }
  }

  /** Starts delivering in the background; `once` makes a single delivery (a forged notification). */
  send(delivery: Omit<BaofooSandboxDelivery, 'attempt'>, options: { once?: boolean } = {}): void {
    const chain = this.deliver(delivery, options.once ? 1 : this.maxAttempts);
    this.chains.add(chain);
    void chain.finally(() => this.chains.delete(chain));
  }

  /** Every finished delivery, in the order they finished (copies). */
  deliveries(): BaofooSandboxNotificationRecord[] {
    return this.log.map((record) => ({ ...record }));
  }

  /** Resolves once every notification sent so far was acknowledged or ran out of attempts. */
  async settled(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains]);
  }

  /** Abandons pending redeliveries and deliveries in flight; later sends do nothing. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const pause of this.pauses) {
      clearTimeout(pause.timer);
      pause.resume();
    }
    this.pauses.clear();
    await Promise.all([...this.couriers].map((courier) => courier.stop()));
    await this.settled();
  }

  private async deliver(delivery: Omit<BaofooSandboxDelivery, 'attempt'>, attempts: number): Promise<void> {
    for (let attempt = 1; attempt <= attempts && !this.stopped; attempt++) {
      if (attempt > 1) await this.pause(this.delays[Math.min(attempt - 2, this.delays.length - 1)]);
      if (this.stopped) return;
      const record = await this.once({ ...delivery, attempt });
      if (record) this.log.push(record);
      if (record?.acknowledged) return;
    }
  }

  private async once(delivery: BaofooSandboxDelivery): Promise<BaofooSandboxNotificationRecord | undefined> {
    const courier = new NotificationCourier<BaofooSandboxDelivery>({ timeoutMs: this.timeoutMs, acknowledges });
    this.couriers.add(courier);
    try {
      courier.send(delivery);
      await courier.settled();
      return courier.deliveries()[0];
    } finally {
      this.couriers.delete(courier);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const pause = {
        timer: setTimeout(() => {
          this.pauses.delete(pause);
          resolve();
        }, ms),
        resume: resolve,
      };
      this.pauses.add(pause);
    });
  }
}

/** 「商户需返回OK」: a 2xx answer whose body is exactly `OK`. */
function acknowledges(answer: CourierAnswer): boolean {
  return answer.status >= 200 && answer.status < 300 && answer.body === BAOFOO_NOTIFICATION_ACK;
}

import { Injectable } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { RefundSettings } from '../refund-settings';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Sync calls per second per merchant of a gateway (`sync.rateLimitPerSecond`), as token buckets
 * that hold one second's worth. Counted in this process: with several instances each keeps its own
 * budget, so an operator divides the gateway's limit by the number of instances.
 */
@Injectable()
export class MerchantRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
  ) {}

  /** Takes one call from the merchant's budget; false when the budget for now is spent. */
  tryTake(gateway: string, merchantId: string): boolean {
    const rate = this.settings.rateLimitFor(gateway, merchantId);
    if (rate === null) return true;
    const now = this.clock.now().getTime();
    const key = `${gateway}\u0000${merchantId}`;
    const capacity = Math.max(rate, 1);
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

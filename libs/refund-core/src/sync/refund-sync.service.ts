import { Inject, Injectable, Logger } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { describeError, errorFrames } from '../logging/error-summary';
import { inRefundLogContext } from '../logging/log-context';
import { REFUND_OBSERVER, type RefundObserver } from '../observability/refund-observer';
import { ClaimedRefund, RefundClaims } from '../refund/refund-claims';
import { RefundService } from '../refund/refund.service';
import { RefundSettings } from '../refund-settings';
import { MerchantRateLimiter } from './merchant-rate-limiter';
import { runWithConcurrency } from './run-with-concurrency';

/** A refund held back by its merchant's rate limit is due again this much later. */
const RATE_LIMITED_RETRY_MS = 1_000;

export interface SyncRoundResult {
  /** Refunds that were due and taken this round. */
  due: number;
  /** Of those, how many waited for a later round because their merchant's rate limit was spent. */
  limited: number;
  /** Of those, how many reached a final status. */
  finished: number;
  /** Syncs that threw (logged); they are due again after their backoff. */
  errors: number;
}

/**
 * One round of the status-sync loop: the unfinished refunds whose `nextSyncAt` has come and
 * that nobody else works on are claimed (leased to this round), then synced through the
 * gateway port, a few at a time per gateway. Any number of processes may run rounds on one
 * database. Hosts only decide when a round runs (an interval, a cron, a test).
 */
@Injectable()
export class RefundSyncService {
  private readonly logger = new Logger(RefundSyncService.name);

  constructor(
    private readonly refunds: RefundService,
    private readonly claims: RefundClaims,
    private readonly settings: RefundSettings,
    private readonly limiter: MerchantRateLimiter,
    private readonly clock: Clock,
    @Inject(REFUND_OBSERVER) private readonly observer: RefundObserver,
  ) {}

  async runOnce(): Promise<SyncRoundResult> {
    const due = await this.claims.claimDue(this.settings.sync.batchSize);
    const result: SyncRoundResult = { due: due.length, limited: 0, finished: 0, errors: 0 };
    const byGateway = new Map<string, ClaimedRefund[]>();
    for (const claimed of due) byGateway.set(claimed.gateway, [...(byGateway.get(claimed.gateway) ?? []), claimed]);
    await Promise.all(
      [...byGateway.values()].map((claimed) =>
        runWithConcurrency(
          claimed,
          this.settings.concurrencyFor(claimed[0].gateway),
          // Every line about this refund's sync, its failure included, names it.
          inRefundLogContext(async ({ id, merchantId, gateway, lease, leaseExpiresAt }) => {
            if (!this.limiter.tryTake(gateway, merchantId)) {
              result.limited += 1;
              await this.claims.postpone(id, lease, new Date(this.clock.now().getTime() + RATE_LIMITED_RETRY_MS));
              return;
            }
            this.observer.syncAttempt({ gateway });
            try {
              // A sync that throws keeps its claim until the lease runs out: the failing refund waits that long.
              const refund = await this.refunds.syncClaimed(id, lease, { leaseExpiresAt });
              if (refund.finishedAt) result.finished += 1;
            } catch (error) {
              result.errors += 1;
              this.logger.error(`Sync of refund ${id} failed: ${describeError(error)}`, errorFrames(error));
            }
          }),
        ),
      ),
    );
    this.observer.syncRound({
      claimed: result.due,
      limited: result.limited,
      finished: result.finished,
      errors: result.errors,
    });
    if (due.length) this.logger.log(`Synced ${due.length} refunds: ${result.finished} final, ${result.errors} errors`);
    return result;
  }
}

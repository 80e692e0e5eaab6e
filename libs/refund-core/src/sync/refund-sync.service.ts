import { Injectable, Logger } from '@nestjs/common';

import { ClaimedRefund, RefundClaims } from '../refund/refund-claims';
import { RefundService } from '../refund/refund.service';
import { RefundSettings } from '../refund-settings';
import { runWithConcurrency } from './run-with-concurrency';

export interface SyncRoundResult {
  /** Refunds that were due and taken this round. */
  due: number;
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
  ) {}

  async runOnce(): Promise<SyncRoundResult> {
    const due = await this.claims.claimDue(this.settings.sync.batchSize);
    const result: SyncRoundResult = { due: due.length, finished: 0, errors: 0 };
    const byGateway = new Map<string, ClaimedRefund[]>();
    for (const claimed of due) byGateway.set(claimed.gateway, [...(byGateway.get(claimed.gateway) ?? []), claimed]);
    await Promise.all(
      [...byGateway.values()].map((claimed) =>
        runWithConcurrency(claimed, this.settings.sync.concurrencyPerGateway, async ({ id, lease }) => {
          try {
            // A sync that throws keeps its claim until the lease runs out: the failing refund waits that long.
            const refund = await this.refunds.syncClaimed(id, lease);
            if (refund.finishedAt) result.finished += 1;
          } catch (error) {
            result.errors += 1;
            this.logger.error(`Sync of refund ${id} failed`, error as Error);
          }
        }),
      ),
    );
    if (due.length) this.logger.log(`Synced ${due.length} refunds: ${result.finished} final, ${result.errors} errors`);
    return result;
  }
}

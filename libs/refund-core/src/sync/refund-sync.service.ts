import { MikroORM } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { UNFINISHED_STATUSES } from '../domain/refund-status';
import { Refund } from '../entities/refund.entity';
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
 * One round of the status-sync loop: every unfinished refund whose `nextSyncAt` has come is
 * synced through the gateway port, a few at a time per gateway. Hosts only decide when a
 * round runs (an interval, a cron, a test).
 */
@Injectable()
export class RefundSyncService {
  private readonly logger = new Logger(RefundSyncService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly refunds: RefundService,
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
  ) {}

  async runOnce(): Promise<SyncRoundResult> {
    const due = await this.findDue();
    const result: SyncRoundResult = { due: due.length, finished: 0, errors: 0 };
    const byGateway = new Map<string, string[]>();
    for (const { id, gateway } of due) byGateway.set(gateway, [...(byGateway.get(gateway) ?? []), id]);
    await Promise.all(
      [...byGateway.values()].map((ids) =>
        runWithConcurrency(ids, this.settings.sync.concurrencyPerGateway, async (id) => {
          try {
            const refund = await this.refunds.sync(id);
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

  /** The seam for leases: with several scheduler instances this becomes a claim. */
  private async findDue(): Promise<Array<{ id: string; gateway: string }>> {
    const rows = await this.orm.em
      .fork()
      .find(
        Refund,
        { status: { $in: [...UNFINISHED_STATUSES] }, nextSyncAt: { $lte: this.clock.now() } },
        { orderBy: { nextSyncAt: 'asc' }, limit: this.settings.sync.batchSize, fields: ['id', 'gateway'] },
      );
    return rows.map((row) => ({ id: row.id, gateway: row.gateway }));
  }
}

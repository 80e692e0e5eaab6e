import { Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { RefundSyncService } from '@refundhub/core';

import { RepeatingRound } from '../loops/repeating-round';

export const SYNC_LOOP_OPTIONS = Symbol('SYNC_LOOP_OPTIONS');

export interface SyncLoopOptions {
  enabled: boolean;
  intervalMs: number;
}

/** Runs a sync round every `intervalMs` (the scheduler, or the API with `scheduler.enabled`). */
@Injectable()
export class RefundSyncLoop extends RepeatingRound {
  static readonly jobName = 'refund-sync';

  constructor(
    private readonly sync: RefundSyncService,
    registry: SchedulerRegistry,
    @Inject(SYNC_LOOP_OPTIONS) options: SyncLoopOptions,
  ) {
    super({ name: RefundSyncLoop.jobName, what: 'Refund sync', ...options }, registry, new Logger(RefundSyncLoop.name));
  }

  protected round(): Promise<unknown> {
    return this.sync.runOnce();
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { RefundSyncService } from '@refundhub/core';

export const SYNC_LOOP_OPTIONS = Symbol('SYNC_LOOP_OPTIONS');

export interface SyncLoopOptions {
  enabled: boolean;
  intervalMs: number;
}

/**
 * Runs a sync round every `intervalMs`. A round that is still running when the next tick
 * comes is not doubled: the tick is skipped. The rounds themselves live in refund-core.
 */
@Injectable()
export class RefundSyncLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  static readonly jobName = 'refund-sync';
  private readonly logger = new Logger(RefundSyncLoop.name);
  private running: Promise<void> | null = null;

  constructor(
    private readonly sync: RefundSyncService,
    private readonly registry: SchedulerRegistry,
    @Inject(SYNC_LOOP_OPTIONS) private readonly options: SyncLoopOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.enabled) return;
    this.registry.addInterval(
      RefundSyncLoop.jobName,
      setInterval(() => void this.tick(), this.options.intervalMs),
    );
    this.logger.log(`Refund sync every ${this.options.intervalMs} ms`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', RefundSyncLoop.jobName))
      this.registry.deleteInterval(RefundSyncLoop.jobName);
    await this.running;
  }

  /** One round, unless one is already running. Exposed for hosts that trigger rounds themselves. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.sync
      .runOnce()
      .then(() => undefined)
      .catch((error: Error) => this.logger.error('Sync round failed', error))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}

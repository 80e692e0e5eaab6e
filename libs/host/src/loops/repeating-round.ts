import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { describeError, errorFrames } from '@refundhub/core';

/**
 * A round of work run every `intervalMs` in a host process. A round still running when the next
 * tick comes is not doubled: the tick is skipped. The rounds themselves live in refund-core.
 */
export abstract class RepeatingRound implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: Promise<void> | null = null;

  protected constructor(
    private readonly job: { name: string; what: string; enabled: boolean; intervalMs: number },
    private readonly registry: SchedulerRegistry,
    private readonly logger: Logger,
  ) {}

  protected abstract round(): Promise<unknown>;

  onApplicationBootstrap(): void {
    if (!this.job.enabled) return;
    this.registry.addInterval(
      this.job.name,
      setInterval(() => void this.tick(), this.job.intervalMs),
    );
    this.logger.log(`${this.job.what} every ${this.job.intervalMs} ms`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', this.job.name)) this.registry.deleteInterval(this.job.name);
    await this.running;
  }

  /** One round, unless one is already running. Exposed for hosts and tests that trigger rounds themselves. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.round()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.error(`${this.job.what} failed: ${describeError(error)}`, errorFrames(error)),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}

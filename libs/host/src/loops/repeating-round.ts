import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { describeError, errorFrames } from '@refundhub/core';

/**
 * A round of work run every `intervalMs` in a host process. A round still running when the next
 * tick comes is not doubled: the tick is skipped. The rounds themselves live in refund-core.
 */
export abstract class RepeatingRound implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: Promise<void> | null = null;
  private stopped = false;
  private startedAt: Date | null = null;
  private lastRoundAt: Date | null = null;

  protected constructor(
    private readonly job: { name: string; what: string; enabled: boolean; intervalMs: number },
    private readonly registry: SchedulerRegistry,
    private readonly logger: Logger,
  ) {}

  protected abstract round(): Promise<unknown>;

  onApplicationBootstrap(): void {
    if (!this.job.enabled) return;
    this.startedAt = new Date();
    this.registry.addInterval(
      this.job.name,
      setInterval(() => void this.tick(), this.job.intervalMs),
    );
    this.logger.log(`${this.job.what} every ${this.job.intervalMs} ms`);
  }

  /** No round starts after this; resolves once the one running (its gateway calls included) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('interval', this.job.name)) this.registry.deleteInterval(this.job.name);
    await this.running;
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** One round, unless one is already running or the loop was stopped. Exposed for hosts and tests that trigger rounds themselves. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    if (this.stopped) return Promise.resolve();
    return this.start();
  }

  /** One more round after {@link stop}: the last delivery of what the work before shutdown left behind. */
  async finalRound(): Promise<void> {
    await this.running;
    await this.start();
  }

  private start(): Promise<void> {
    this.running = this.round()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.error(`${this.job.what} failed: ${describeError(error)}`, errorFrames(error)),
      )
      .finally(() => {
        // A round that failed still shows the loop is alive; its error is in the log.
        this.lastRoundAt = new Date();
        this.running = null;
      });
    return this.running;
  }

  /** Whether the loop runs in this process, and when it started and last finished a round (readiness). */
  heartbeat(): LoopHeartbeat {
    return {
      enabled: this.job.enabled,
      intervalMs: this.job.intervalMs,
      startedAt: this.startedAt,
      lastRoundAt: this.lastRoundAt,
    };
  }
}

export interface LoopHeartbeat {
  /** The loop's interval runs in this process. */
  enabled: boolean;
  intervalMs: number;
  /** When its interval was installed; null while it is not. */
  startedAt: Date | null;
  /** When its last round ended, successful or not; null before the first. */
  lastRoundAt: Date | null;
}

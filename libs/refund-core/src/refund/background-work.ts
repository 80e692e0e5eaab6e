import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

import { describeError, errorFrames } from '../logging/error-summary';

/**
 * Work a request starts and does not wait for: submitting the queued refund of an order that was
 * just handed its submission slot. Tracked so that shutdown, tests and simulations can wait until
 * it has all finished; errors are logged (the sync loop picks up whatever did not happen).
 */
@Injectable()
export class BackgroundWork implements OnApplicationShutdown {
  private readonly logger = new Logger(BackgroundWork.name);
  private readonly running = new Set<Promise<void>>();

  run(label: string, task: () => Promise<unknown>): void {
    const done = task().then(
      () => undefined,
      (error: unknown) =>
        this.logger.error(`${label} failed; the sync loop will retry it: ${describeError(error)}`, errorFrames(error)),
    );
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }

  /** Resolves once everything started so far, and anything it started meanwhile, has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  onApplicationShutdown(): Promise<void> {
    return this.settled();
  }
}

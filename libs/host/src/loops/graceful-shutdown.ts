import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

import { BackgroundWork, WebhookSender } from '@refundhub/core';

import { RefundSyncLoop } from '../sync/refund-sync.loop';
import { OutboxRelayLoop } from './outbox-relay.loop';
import { WebhookDeliveryLoop } from './webhook-delivery.loop';

/**
 * The order a host stops in, so that nothing it started is cut off and nothing it recorded is left
 * undelivered:
 * 1. before the HTTP server closes: no loop starts another round (no new claims), and the rounds
 *    running finish, their gateway calls included;
 * 2. the HTTP server closes, letting the requests in flight finish (Nest's own order);
 * 3. before the database closes: the background submissions those requests started finish, one last
 *    outbox round delivers the events they recorded, and the first webhook attempts it started are
 *    recorded. The database closes after this, in the modules below the host.
 * A gateway call is bounded by its timeout, so shutdown is too.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);
  private stoppingNow = false;

  constructor(
    private readonly sync: RefundSyncLoop,
    private readonly outbox: OutboxRelayLoop,
    private readonly webhooks: WebhookDeliveryLoop,
    private readonly background: BackgroundWork,
    private readonly sender: WebhookSender,
  ) {}

  /** Shutdown has begun: `/health/ready` answers 503 so that load balancers stop sending work here. */
  get stopping(): boolean {
    return this.stoppingNow;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.stoppingNow = true;
    this.logger.log(`Shutting down${signal ? ` on ${signal}` : ''}: no new claims; finishing the rounds in flight`);
    await Promise.all([this.sync.stop(), this.webhooks.stop(), this.outbox.stop()]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.background.settled();
    await this.outbox.finalRound();
    await this.sender.settled();
    this.logger.log('Work in flight finished and the outbox flushed; closing the database');
  }
}

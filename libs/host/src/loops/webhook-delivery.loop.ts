import { Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { WebhookSender } from '@refundhub/core';

import { RepeatingRound } from './repeating-round';

export const WEBHOOK_LOOP_OPTIONS = Symbol('WEBHOOK_LOOP_OPTIONS');

/**
 * Sends the webhooks that are due every `intervalMs`, in every host process: retries on their
 * schedule, manual retries, and new ones whose first attempt another process did not make (it died).
 * Deliveries are leased, so processes never send one twice at once.
 */
@Injectable()
export class WebhookDeliveryLoop extends RepeatingRound {
  static readonly jobName = 'webhook-delivery';

  constructor(
    private readonly sender: WebhookSender,
    registry: SchedulerRegistry,
    @Inject(WEBHOOK_LOOP_OPTIONS) options: { intervalMs: number },
  ) {
    super(
      { name: WebhookDeliveryLoop.jobName, what: 'Webhook delivery', enabled: true, ...options },
      registry,
      new Logger(WebhookDeliveryLoop.name),
    );
  }

  protected async round(): Promise<unknown> {
    // A full batch may mean more are due.
    for (;;) {
      const result = await this.sender.runOnce();
      if (result.taken === 0 || result.delivered + result.retrying + result.givenUp < result.taken) return result;
    }
  }
}

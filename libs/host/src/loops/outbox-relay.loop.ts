import { Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { OutboxRelay } from '@refundhub/core';

import { RepeatingRound } from './repeating-round';

export const OUTBOX_LOOP_OPTIONS = Symbol('OUTBOX_LOOP_OPTIONS');

/**
 * Relays the outbox every `intervalMs` in every host process: events whose delivery failed or
 * never happened (a process died between its commit and its listeners) reach the listeners here.
 */
@Injectable()
export class OutboxRelayLoop extends RepeatingRound {
  static readonly jobName = 'outbox-relay';

  constructor(
    private readonly relay: OutboxRelay,
    registry: SchedulerRegistry,
    @Inject(OUTBOX_LOOP_OPTIONS) options: { intervalMs: number },
  ) {
    super(
      { name: OutboxRelayLoop.jobName, what: 'Outbox relay', enabled: true, ...options },
      registry,
      new Logger(OutboxRelayLoop.name),
    );
  }

  protected async round(): Promise<unknown> {
    // Until a round takes fewer than a batch, there may be more waiting.
    for (;;) {
      const result = await this.relay.runOnce();
      if (result.taken === 0 || result.delivered + result.poisoned === 0) return result;
    }
  }
}

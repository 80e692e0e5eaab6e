import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { RefundOutbox } from '../entities/refund-outbox.entity';
import { encodeEvent } from './outbox-codec';
import { OutboxRelay } from './outbox-relay';
import type { AnyRefundEvent } from './refund-event-map';

/**
 * Domain events through the transactional outbox: `record` writes them in the transaction of the
 * change that produced them, so a committed change always has its events; `publish`, once that
 * transaction has committed, delivers them to this process's listeners at once. An event whose
 * delivery fails or never happens (the process died) is relayed later by `OutboxRelay.runOnce`.
 */
@Injectable()
export class RefundEventPublisher {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
  ) {}

  record(em: EntityManager, events: readonly AnyRefundEvent[]): void {
    const now = this.clock.now();
    for (const event of events) {
      const encoded = encodeEvent(event);
      em.create(RefundOutbox, {
        eventId: encoded.eventId,
        name: encoded.name,
        refundId: encoded.refundId,
        payload: encoded.payload,
        occurredAt: encoded.occurredAt,
        nextAttemptAt: now,
      });
    }
  }

  /** After the commit: a listener's failure never undoes or fails the committed change (the relay retries it). */
  async publish(events: readonly AnyRefundEvent[]): Promise<void> {
    await this.relay.deliver(events);
  }
}

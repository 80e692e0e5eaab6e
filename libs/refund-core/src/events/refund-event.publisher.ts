import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

import { AnyRefundEvent, eventNameOf } from './refund-event-map';

/**
 * Publishes domain events after the state change that produced them is committed. Callers
 * collect events inside the transaction and hand them here once it has returned.
 */
@Injectable()
export class RefundEventPublisher {
  private readonly logger = new Logger(RefundEventPublisher.name);

  constructor(private readonly emitter: EventEmitter2) {}

  async publish(events: readonly AnyRefundEvent[]): Promise<void> {
    for (const event of events) {
      const name = eventNameOf(event);
      try {
        await this.emitter.emitAsync(name, event);
      } catch (error) {
        // A listener's failure must not undo or fail a committed refund change.
        this.logger.error(`Listener of ${name} failed for refund ${event.refund.refundId}`, error as Error);
      }
    }
  }
}

import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import { RefundFailedEvent } from '../events/refund-failed.event';
import { RefundNeedsAttentionEvent } from '../events/refund-needs-attention.event';
import { RefundSucceededEvent } from '../events/refund-succeeded.event';
import { eventNameOf } from '../events/refund-event-map';
import { refundById } from '../persistence/sql/refund-tables';
import { RefundWrites } from '../persistence/sql/write-transactions';
import { toRefundView } from '../refund/refund.mapper';
import { webhookBodyOf } from './webhook-body';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookSender } from './webhook-sender';

/** The events a refund's notify URL hears of. */
type WebhookEvent = RefundSucceededEvent | RefundFailedEvent | RefundNeedsAttentionEvent;

/**
 * Turns the events the outbox relays into webhook deliveries: one per event for a refund with a
 * notify URL, recorded once however often the event is relayed (the delivery's unique key is the
 * event id and the URL), then attempted at once. Errors are not suppressed, so that the outbox
 * retries an event whose delivery could not be recorded.
 */
@Injectable()
export class WebhookEventListener {
  constructor(
    private readonly writes: RefundWrites,
    private readonly deliveries: WebhookDeliveries,
    private readonly sender: WebhookSender,
  ) {}

  @OnEvent(RefundSucceededEvent.eventName, { suppressErrors: false })
  onSucceeded(event: RefundSucceededEvent): Promise<void> {
    return this.record(event);
  }

  @OnEvent(RefundFailedEvent.eventName, { suppressErrors: false })
  onFailed(event: RefundFailedEvent): Promise<void> {
    return this.record(event);
  }

  @OnEvent(RefundNeedsAttentionEvent.eventName, { suppressErrors: false })
  onNeedsAttention(event: RefundNeedsAttentionEvent): Promise<void> {
    return this.record(event);
  }

  private async record(event: WebhookEvent): Promise<void> {
    const refund = await this.writes.read((session) => refundById(session, event.refund.refundId));
    if (!refund?.notifyUrl) return;
    const id = await this.deliveries.record({
      refundId: refund.id,
      eventId: event.eventId,
      eventType: eventNameOf(event),
      url: refund.notifyUrl,
      requestedBy: refund.requestedBy,
      body: webhookBodyOf(event, toRefundView(refund)),
    });
    if (id !== null) this.sender.deliverSoon(id);
  }
}

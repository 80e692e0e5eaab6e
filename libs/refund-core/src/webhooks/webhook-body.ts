import { eventNameOf } from '../events/refund-event-map';
import type { AnyRefundEvent } from '../events/refund-event-map';
import type { RefundView } from '../refund/refund.view';

/** The JSON body of a webhook. */
export interface WebhookBody {
  /** The event key: `refund.succeeded`, `refund.failed` or `refund.needs_attention`. */
  type: string;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  /** The refund as `GET /refunds/:id` shows it, read when the event was recorded for delivery. */
  data: RefundView;
}

/**
 * The body of an event's webhook, as the exact text every attempt sends. The refund is read right
 * after the event's change: for a final event it is final, so its view is the one that event made;
 * it holds no secret (the view never does).
 */
export function webhookBodyOf(event: AnyRefundEvent, refund: RefundView): string {
  const body: WebhookBody = { type: eventNameOf(event), timestamp: event.occurredAt.toISOString(), data: refund };
  return JSON.stringify(body);
}

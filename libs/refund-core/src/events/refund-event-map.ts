import { RefundFailedEvent } from './refund-failed.event';
import { RefundNeedsAttentionEvent } from './refund-needs-attention.event';
import { RefundRequestedEvent } from './refund-requested.event';
import { RefundSucceededEvent } from './refund-succeeded.event';

/** Event-emitter key -> event class: the contract with everything outside the core. */
export interface RefundEventMap {
  [RefundRequestedEvent.eventName]: RefundRequestedEvent;
  [RefundSucceededEvent.eventName]: RefundSucceededEvent;
  [RefundFailedEvent.eventName]: RefundFailedEvent;
  [RefundNeedsAttentionEvent.eventName]: RefundNeedsAttentionEvent;
}

export type AnyRefundEvent = RefundEventMap[keyof RefundEventMap];

export function eventNameOf(event: AnyRefundEvent): keyof RefundEventMap {
  return (event.constructor as unknown as { eventName: keyof RefundEventMap }).eventName;
}

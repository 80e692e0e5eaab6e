export { RefundEvent, snapshotOf } from './refund-event';
export type { RefundEventSnapshot } from './refund-event';
export { RefundRequestedEvent } from './refund-requested.event';
export { RefundSucceededEvent } from './refund-succeeded.event';
export { RefundFailedEvent } from './refund-failed.event';
export { RefundNeedsAttentionEvent } from './refund-needs-attention.event';
export { eventNameOf } from './refund-event-map';
export type { RefundEventMap, AnyRefundEvent } from './refund-event-map';
export { RefundEventPublisher } from './refund-event.publisher';

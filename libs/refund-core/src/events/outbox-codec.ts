import type { AttentionReason } from '../gateway/refund-gateway.port';
import type { RefundEvent, RefundEventSnapshot } from './refund-event';
import { AnyRefundEvent, RefundEventMap, eventNameOf } from './refund-event-map';
import { RefundFailedEvent } from './refund-failed.event';
import { RefundNeedsAttentionEvent } from './refund-needs-attention.event';
import { RefundRequestedEvent } from './refund-requested.event';
import { RefundSucceededEvent } from './refund-succeeded.event';

/** An event as the outbox stores it: JSON, dates as ISO strings. */
export interface EncodedEvent {
  eventId: string;
  name: keyof RefundEventMap;
  refundId: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
}

type SnapshotJson = Omit<RefundEventSnapshot, 'createdAt'> & { createdAt: string };

export function encodeEvent(event: AnyRefundEvent): EncodedEvent {
  const { refund } = event;
  const payload: Record<string, unknown> = {
    refund: { ...refund, createdAt: refund.createdAt.toISOString() } satisfies SnapshotJson,
    occurredAt: event.occurredAt.toISOString(),
  };
  if (event instanceof RefundSucceededEvent) payload['finishedAt'] = event.finishedAt.toISOString();
  if (event instanceof RefundFailedEvent) Object.assign(payload, { code: event.code, message: event.message });
  if (event instanceof RefundNeedsAttentionEvent)
    Object.assign(payload, { reason: event.reason, message: event.message });
  return {
    eventId: event.eventId,
    name: eventNameOf(event),
    refundId: refund.refundId,
    occurredAt: event.occurredAt,
    payload,
  };
}

/** The event back from its row, with the id it was written with (listeners dedupe by it). */
export function decodeEvent(row: { eventId: string; name: string; payload: Record<string, unknown> }): AnyRefundEvent {
  const payload = row.payload;
  const json = payload['refund'] as SnapshotJson;
  const refund: RefundEventSnapshot = { ...json, createdAt: new Date(json.createdAt) };
  const occurredAt = new Date(String(payload['occurredAt']));
  const text = (key: string) => String(payload[key]);
  let event: AnyRefundEvent;
  switch (row.name) {
    case RefundRequestedEvent.eventName:
      event = new RefundRequestedEvent(refund, occurredAt);
      break;
    case RefundSucceededEvent.eventName:
      event = new RefundSucceededEvent(refund, occurredAt, new Date(text('finishedAt')));
      break;
    case RefundFailedEvent.eventName:
      event = new RefundFailedEvent(refund, occurredAt, text('code'), text('message'));
      break;
    case RefundNeedsAttentionEvent.eventName:
      event = new RefundNeedsAttentionEvent(refund, occurredAt, text('reason') as AttentionReason, text('message'));
      break;
    default:
      throw new Error(`The outbox holds an event of unknown type '${row.name}'`);
  }
  // The id is part of the event's identity: a relayed event keeps the one it was written with.
  (event as { eventId: RefundEvent['eventId'] }).eventId = row.eventId;
  return event;
}

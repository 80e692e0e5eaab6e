import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** `pending` until an attempt is answered 2xx (`delivered`) or the schedule runs out (`failed`, given up). */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * One webhook to send: one event of a refund, to the refund's notify URL. Recorded by the events'
 * listener, once per (event, URL) however often the outbox relays the event, then attempted by the
 * delivery rounds until it is answered or given up. The body is fixed when it is recorded: every
 * attempt sends the same bytes, with a fresh timestamp and signature.
 */
@Entity({ tableName: 'webhook_delivery' })
@Unique({ name: 'webhook_delivery_event_url_key', properties: ['eventId', 'url'] })
@Index({ name: 'webhook_delivery_due_idx', properties: ['status', 'nextAttemptAt'] })
@Index({ name: 'webhook_delivery_refund_idx', properties: ['refundId', 'createdAt'] })
export class WebhookDelivery {
  [OptionalProps]?: 'status' | 'attempts' | 'requestedBy' | 'leaseOwner' | 'leaseExpiresAt' | 'finishedAt';

  /** Time-ordered (see newId). */
  @PrimaryKey({ type: 'string', length: 40 })
  id!: string;

  @Property({ type: 'string', length: 40 })
  refundId!: string;

  /** The event's id, sent as `webhook-id`: the same for every attempt, so receivers dedupe by it. */
  @Property({ type: 'string', length: 40 })
  eventId!: string;

  /** The event key (`refund.succeeded`), the body's `type`. */
  @Property({ type: 'string', length: 64 })
  eventType!: string;

  @Property({ type: 'string', length: 512 })
  url!: string;

  /** Whose secrets sign it: the name the refund was requested under (null: the common secret). */
  @Property({ type: 'string', length: 64, nullable: true })
  requestedBy: string | null = null;

  /** The exact JSON sent. */
  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'string', length: 16 })
  status: WebhookDeliveryStatus = 'pending';

  @Property({ type: 'integer' })
  attempts: number = 0;

  /** When the next attempt is due; null once delivered or given up. */
  @Property({ type: Date, nullable: true })
  nextAttemptAt!: Date | null;

  /** The round sending it now; the lease runs out if that process dies. */
  @Property({ type: 'string', length: 40, nullable: true })
  leaseOwner: string | null = null;

  @Property({ type: Date, nullable: true })
  leaseExpiresAt: Date | null = null;

  @Property({ type: Date })
  createdAt!: Date;

  @Property({ type: Date })
  updatedAt!: Date;

  /** When it was delivered or given up. */
  @Property({ type: Date, nullable: true })
  finishedAt: Date | null = null;
}

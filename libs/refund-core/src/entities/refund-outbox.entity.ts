import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** What became of one event for one listener (by its key, see OutboxRelay). */
export interface OutboxListenerState {
  attempts: number;
  /** Delivered: the listener returned. */
  done?: boolean;
  /** Set aside after too many failures; the event no longer holds up later ones. */
  poisoned?: boolean;
  lastError?: string;
}

export type OutboxStatus = 'pending' | 'done' | 'poisoned';

/**
 * The transactional outbox: a domain event written in the same transaction as the state change
 * that produced it, then relayed to the event listeners at least once, in order per refund.
 */
@Entity({ tableName: 'refund_outbox' })
@Unique({ name: 'refund_outbox_event_id_key', properties: ['eventId'] })
@Index({ name: 'refund_outbox_due_idx', properties: ['status', 'nextAttemptAt'] })
@Index({ name: 'refund_outbox_refund_idx', properties: ['refundId', 'seq'] })
export class RefundOutbox {
  [OptionalProps]?:
    'seq' | 'status' | 'attempts' | 'listeners' | 'leaseOwner' | 'leaseExpiresAt' | 'lastError' | 'relayedAt';

  /** Insertion order, which is the order events of one refund are delivered in. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  seq!: string;

  @Property({ type: 'string', length: 40 })
  eventId!: string;

  /** The event-emitter key (`refund.succeeded`). */
  @Property({ type: 'string', length: 64 })
  name!: string;

  @Property({ type: 'string', length: 40 })
  refundId!: string;

  /** The event, as OutboxCodec encodes it. */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: Date })
  occurredAt!: Date;

  @Property({ type: 'string', length: 16 })
  status: OutboxStatus = 'pending';

  /** Relay passes that took this event, successful or not. */
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: Date })
  nextAttemptAt!: Date;

  @Property({ type: 'json' })
  listeners: Record<string, OutboxListenerState> = {};

  @Property({ type: 'string', length: 40, nullable: true })
  leaseOwner: string | null = null;

  @Property({ type: Date, nullable: true })
  leaseExpiresAt: Date | null = null;

  @Property({ type: 'string', length: 512, nullable: true })
  lastError: string | null = null;

  @Property({ type: Date, nullable: true })
  relayedAt: Date | null = null;
}

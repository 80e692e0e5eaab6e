import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

import { CODE_COLUMN_LENGTH, MESSAGE_COLUMN_LENGTH } from './column-types';
import { Refund } from './refund.entity';

/** What refundhub and the gateway exchanged: a submission, a query (a sync), or a notification the gateway sent. */
export type RefundExchangeOperation = 'submit' | 'query' | 'notification';

/**
 * What the exchange did to the refund:
 * - `applied`: it changed the refund (its status, or a flag a person must settle);
 * - `unchanged`: it agreed with the refund as it stood;
 * - `rejected_forged`: a notification that failed verification (nothing of it is kept);
 * - `mismatched`: about another amount or order, or a conflict with a final refund;
 * - `unknown`: no readable answer (timeout, connection, 5xx, unreadable, unsigned).
 */
export type RefundExchangeOutcome = 'applied' | 'unchanged' | 'rejected_forged' | 'mismatched' | 'unknown';

/**
 * Append-only log of every gateway exchange of a refund, written in the same transaction as the
 * change the exchange caused. `fields` is the parsed answer as JSON, with secrets and customer data
 * redacted (see refund-exchanges.ts). The same notification heard again is not a new row: it counts
 * on its row (`repeats`, `lastAt`).
 */
@Entity({ tableName: 'refund_exchange' })
@Index({ name: 'refund_exchange_refund_idx', properties: ['refund', 'id'] })
export class RefundExchange {
  [OptionalProps]?: 'durationMs' | 'gatewayStatus' | 'code' | 'message' | 'fields' | 'repeats' | 'lastAt';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Refund, { fieldName: 'refund_id', deleteRule: 'cascade' })
  refund!: Refund;

  @Property({ type: 'string', length: 16 })
  operation!: RefundExchangeOperation;

  /** When the request was sent (a submission, a query) or the notification was heard, by the injected clock. */
  @Property({ type: Date })
  at!: Date;

  /** How long the gateway took to answer; null for a notification. */
  @Property({ type: 'integer', nullable: true })
  durationMs: number | null = null;

  @Property({ type: 'string', length: CODE_COLUMN_LENGTH, nullable: true })
  gatewayStatus: string | null = null;

  @Property({ type: 'string', length: CODE_COLUMN_LENGTH, nullable: true })
  code: string | null = null;

  @Property({ type: 'string', length: MESSAGE_COLUMN_LENGTH, nullable: true })
  message: string | null = null;

  /** The parsed answer as a JSON object, redacted; null when nothing of it may be kept (a forged notification). */
  @Property({ type: 'text', nullable: true })
  fields: string | null = null;

  @Property({ type: 'string', length: 16 })
  outcome!: RefundExchangeOutcome;

  @Property({ type: 'boolean' })
  changed!: boolean;

  /** How many more times the same notification was heard after this row was written. */
  @Property({ type: 'integer' })
  repeats: number = 0;

  /** When it was heard last; null until it is heard again. */
  @Property({ type: Date, nullable: true })
  lastAt: Date | null = null;
}

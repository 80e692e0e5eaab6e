import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

import { RefundStatus } from '../domain/refund-status';
import type { AttentionReason } from '../gateway/refund-gateway.port';
import { CODE_COLUMN_LENGTH, FenType, MESSAGE_COLUMN_LENGTH } from './column-types';
import { RefundOrder } from './refund-order.entity';

/**
 * One refund request, known to the outside by (gateway, merchantId, refundNo). Status changes
 * go through {@link RefundTransitions} only, which keeps the history and the order balance
 * in step.
 */
@Entity({ tableName: 'refund' })
@Unique({ name: 'refund_key', properties: ['gateway', 'merchantId', 'refundNo'] })
// SQLite's claim reads it; PostgreSQL's migrations drop it for the partial refund_unfinished_due_idx (20261201000000).
@Index({ name: 'refund_due_idx', properties: ['status', 'nextSyncAt'] })
@Index({ name: 'refund_created_at_idx', properties: ['createdAt'] })
@Index({ name: 'refund_merchant_order_no_idx', properties: ['merchantOrderNo'] })
@Index({ name: 'refund_attention_idx', properties: ['attentionSince'] })
// The overview's counts and `GET /refunds?status=` (Migration20261130120000); the partial ones are
// written once for both dialects (SQLite takes double-quoted names too).
@Index({ name: 'refund_scope_status_idx', properties: ['gateway', 'merchantId', 'status'] })
@Index({ name: 'refund_status_id_idx', properties: ['status', 'id'] })
@Index({
  name: 'refund_attention_scope_idx',
  expression:
    'create index "refund_attention_scope_idx" on "refund" ("gateway", "merchant_id", "attention_reason") where "attention_since" is not null',
})
@Index({
  name: 'refund_unfinished_idx',
  expression:
    'create index "refund_unfinished_idx" on "refund" ("gateway", "merchant_id", "created_at", "id") where "status" in (\'REQUESTED\', \'PROCESSING\', \'UNKNOWN\')',
})
export class Refund {
  [OptionalProps]?:
    | 'merchantOrderNo'
    | 'gatewayOrderNo'
    | 'paidAt'
    | 'payMethod'
    | 'reason'
    | 'notifyUrl'
    | 'gatewayOptions'
    | 'status'
    | 'gatewayRefundNo'
    | 'gatewayStatus'
    | 'failureCode'
    | 'failureMessage'
    | 'attempts'
    | 'syncCount'
    | 'nextSyncAt'
    | 'finishedAt'
    | 'submittedAt'
    | 'deferredAt'
    | 'attentionReason'
    | 'attentionSince'
    | 'leaseOwner'
    | 'leaseExpiresAt'
    | 'requestedBy';

  /** Time-ordered (see newId), so paging by id is paging by creation time. */
  @PrimaryKey({ type: 'string', length: 40 })
  id!: string;

  @Property({ type: 'string', length: 32 })
  gateway!: string;

  @Property({ type: 'string', length: 64 })
  merchantId!: string;

  @Property({ type: 'string', length: 64 })
  refundNo!: string;

  @ManyToOne(() => RefundOrder, { fieldName: 'order_id', deleteRule: 'restrict' })
  order!: RefundOrder;

  @Property({ type: FenType })
  amount!: number;

  /** The order reference and total exactly as this request gave them (for idempotency checks). */
  @Property({ type: 'string', length: 64, nullable: true })
  merchantOrderNo: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  gatewayOrderNo: string | null = null;

  @Property({ type: FenType })
  totalAmount!: number;

  @Property({ type: Date, nullable: true })
  paidAt: Date | null = null;

  @Property({ type: 'string', length: 32, nullable: true })
  payMethod: string | null = null;

  @Property({ type: 'string', length: 256, nullable: true })
  reason: string | null = null;

  @Property({ type: 'string', length: 512, nullable: true })
  notifyUrl: string | null = null;

  /**
   * Who asked for the refund: the name of the API key it was requested with (the core knows only
   * the name). Its webhooks are signed with that requester's own secret when it has one.
   */
  @Property({ type: 'string', length: 64, nullable: true })
  requestedBy: string | null = null;

  @Property({ type: 'json' })
  gatewayOptions: Record<string, unknown> = {};

  @Property({ type: 'string', length: 16 })
  status: RefundStatus = 'REQUESTED';

  @Property({ type: 'string', length: 64, nullable: true })
  gatewayRefundNo: string | null = null;

  /** The gateway's own last status value, for support. */
  @Property({ type: 'string', length: CODE_COLUMN_LENGTH, nullable: true })
  gatewayStatus: string | null = null;

  @Property({ type: 'string', length: CODE_COLUMN_LENGTH, nullable: true })
  failureCode: string | null = null;

  @Property({ type: 'string', length: MESSAGE_COLUMN_LENGTH, nullable: true })
  failureMessage: string | null = null;

  /** How many times the refund was submitted to the gateway (resubmissions reuse refundNo). */
  @Property({ type: 'integer' })
  attempts: number = 0;

  /** How many status syncs ran; drives the backoff. */
  @Property({ type: 'integer' })
  syncCount: number = 0;

  @Property({ type: Date, nullable: true })
  nextSyncAt: Date | null = null;

  @Property({ type: Date })
  createdAt!: Date;

  @Property({ type: Date })
  updatedAt!: Date;

  @Property({ type: Date, nullable: true })
  finishedAt: Date | null = null;

  /** When the refund was first handed to the gateway (UMF queries name the refund's date). */
  @Property({ type: Date, nullable: true })
  submittedAt: Date | null = null;

  /**
   * Set while the gateway has definitely not got this refund and it waits to be submitted again
   * with the same number: the gateway said "not now", or another refund of the order holds the
   * order's submission slot (serial gateways). Cleared by the next answer.
   */
  @Property({ type: Date, nullable: true })
  deferredAt: Date | null = null;

  /** Why a person must look at this refund; the money stays reserved meanwhile. */
  @Property({ type: 'string', length: 32, nullable: true })
  attentionReason: AttentionReason | null = null;

  @Property({ type: Date, nullable: true })
  attentionSince: Date | null = null;

  /**
   * The claim on this refund's gateway work: whoever holds an unexpired lease (a request's own
   * submission, a sync round, a manual sync) is the only one that submits or queries it. A lease
   * runs out, so the work of a process that died comes back to the others.
   */
  @Property({ type: 'string', length: 40, nullable: true })
  leaseOwner: string | null = null;

  @Property({ type: Date, nullable: true })
  leaseExpiresAt: Date | null = null;
}

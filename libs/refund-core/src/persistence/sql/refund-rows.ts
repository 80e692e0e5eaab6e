import type { RefundStatus } from '../../domain/refund-status';
import { RefundOrder } from '../../entities/refund-order.entity';
import { Refund } from '../../entities/refund.entity';
import type { AttentionReason } from '../../gateway/refund-gateway.port';
import type { SqlRow } from './sql-session';

/** What the write path changes on a refund; the rest is written once, at its insert. */
export const REFUND_MUTABLE = [
  'status',
  'gateway_refund_no',
  'gateway_status',
  'failure_code',
  'failure_message',
  'attempts',
  'sync_count',
  'next_sync_at',
  'updated_at',
  'finished_at',
  'submitted_at',
  'deferred_at',
  'attention_reason',
  'attention_since',
  'lease_owner',
  'lease_expires_at',
] as const;

/** The refund's columns, in the order the write path reads and writes them. */
export const REFUND_COLUMNS = [
  'id',
  'gateway',
  'merchant_id',
  'refund_no',
  'order_id',
  'amount',
  'merchant_order_no',
  'gateway_order_no',
  'total_amount',
  'paid_at',
  'pay_method',
  'reason',
  'notify_url',
  'requested_by',
  'gateway_options',
  'created_at',
  ...REFUND_MUTABLE,
] as const;

/** What the write path changes on an order: balances, the submission slot, the order numbers. */
export const ORDER_MUTABLE = [
  'merchant_order_no',
  'gateway_order_no',
  'reserved_amount',
  'refunded_amount',
  'slot_refund_id',
  'slot_expires_at',
  'updated_at',
] as const;

export const ORDER_COLUMNS = [
  'id',
  'gateway',
  'merchant_id',
  'order_ref',
  'total_amount',
  'created_at',
  ...ORDER_MUTABLE,
] as const;

/** `"r"."id", "r"."gateway", ...` */
export function columnsOf(alias: string, columns: readonly string[], prefix = ''): string {
  return columns.map((c) => `"${alias}"."${c}"${prefix ? ` as "${prefix}${c}"` : ''}`).join(', ');
}

/**
 * A refund read by the write path: a plain {@link Refund} (not managed by MikroORM, which never sees
 * this path's writes in an identity map) with its order, from a row that joins the order's columns
 * under the prefix `o_`.
 */
export function refundOf(row: SqlRow): Refund {
  const refund = new Refund();
  Object.assign(refund, {
    id: text(row.id),
    gateway: text(row.gateway),
    merchantId: text(row.merchant_id),
    refundNo: text(row.refund_no),
    amount: fen(row.amount),
    merchantOrderNo: maybeText(row.merchant_order_no),
    gatewayOrderNo: maybeText(row.gateway_order_no),
    totalAmount: fen(row.total_amount),
    paidAt: maybeDate(row.paid_at),
    payMethod: maybeText(row.pay_method),
    reason: maybeText(row.reason),
    notifyUrl: maybeText(row.notify_url),
    requestedBy: maybeText(row.requested_by),
    gatewayOptions: json(row.gateway_options) as Record<string, unknown>,
    status: text(row.status) as RefundStatus,
    gatewayRefundNo: maybeText(row.gateway_refund_no),
    gatewayStatus: maybeText(row.gateway_status),
    failureCode: maybeText(row.failure_code),
    failureMessage: maybeText(row.failure_message),
    attempts: Number(row.attempts),
    syncCount: Number(row.sync_count),
    nextSyncAt: maybeDate(row.next_sync_at),
    createdAt: storedDate(row.created_at),
    updatedAt: storedDate(row.updated_at),
    finishedAt: maybeDate(row.finished_at),
    submittedAt: maybeDate(row.submitted_at),
    deferredAt: maybeDate(row.deferred_at),
    attentionReason: maybeText(row.attention_reason) as AttentionReason | null,
    attentionSince: maybeDate(row.attention_since),
    leaseOwner: maybeText(row.lease_owner),
    leaseExpiresAt: maybeDate(row.lease_expires_at),
    order: orderOf(row, 'o_'),
  });
  return refund;
}

/** An order read by the write path, from its own row or from columns under `prefix`. */
export function orderOf(row: SqlRow, prefix = ''): RefundOrder {
  const column = (name: string) => row[`${prefix}${name}`];
  const order = new RefundOrder();
  Object.assign(order, {
    id: text(column('id')),
    gateway: text(column('gateway')),
    merchantId: text(column('merchant_id')),
    orderRef: text(column('order_ref')),
    merchantOrderNo: maybeText(column('merchant_order_no')),
    gatewayOrderNo: maybeText(column('gateway_order_no')),
    totalAmount: fen(column('total_amount')),
    reservedAmount: fen(column('reserved_amount')),
    refundedAmount: fen(column('refunded_amount')),
    slotRefundId: maybeText(column('slot_refund_id')),
    slotExpiresAt: maybeDate(column('slot_expires_at')),
    createdAt: storedDate(column('created_at')),
    updatedAt: storedDate(column('updated_at')),
  });
  return order;
}

function text(value: unknown): string {
  return String(value);
}

function maybeText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** BIGINT fen: PostgreSQL's driver gives them as strings; they are exact as numbers up to 2^53. */
function fen(value: unknown): number {
  return Number(value);
}

/** SQLite keeps epoch milliseconds (MikroORM's convention there); PostgreSQL's driver gives dates. */
export function storedDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  const text = String(value);
  return /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
}

function maybeDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : storedDate(value);
}

/** A JSON column: text on SQLite, already parsed by PostgreSQL's driver. */
function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

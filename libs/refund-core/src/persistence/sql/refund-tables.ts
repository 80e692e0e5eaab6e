import type { RefundOrder } from '../../entities/refund-order.entity';
import type { Refund } from '../../entities/refund.entity';
import {
  ORDER_COLUMNS,
  ORDER_MUTABLE,
  REFUND_COLUMNS,
  REFUND_MUTABLE,
  columnsOf,
  orderOf,
  refundOf,
} from './refund-rows';
import type { SqlSession, SqlValue } from './sql-session';
import { sql } from './sql-statement';

// The refund and order rows of the write path. Reads join the order, so a refund always comes with it.

const REFUND_WITH_ORDER = `select ${columnsOf('r', REFUND_COLUMNS)}, ${columnsOf('o', ORDER_COLUMNS, 'o_')}
  from "refund" "r" join "refund_order" "o" on "o"."id" = "r"."order_id"`;

/** Locks the refund row and its order row together (PostgreSQL), as every change of a refund does first. */
const LOCK_REFUND = sql(`${REFUND_WITH_ORDER} where "r"."id" = ? {forUpdate}`);
const REFUND_BY_ID = sql(`${REFUND_WITH_ORDER} where "r"."id" = ?`);
const REFUND_BY_KEY = sql(
  `${REFUND_WITH_ORDER} where "r"."gateway" = ? and "r"."merchant_id" = ? and "r"."refund_no" = ?`,
);
const LOCK_ORDER = sql(
  `select ${columnsOf('o', ORDER_COLUMNS)} from "refund_order" "o" where "o"."id" = ? {forUpdate}`,
);
const ORDER_BY_ID = sql(`select ${columnsOf('o', ORDER_COLUMNS)} from "refund_order" "o" where "o"."id" = ?`);

const INSERT_REFUND = sql(
  `insert into "refund" (${REFUND_COLUMNS.map((c) => `"${c}"`).join(', ')}) values (${REFUND_COLUMNS.map(() => '?').join(', ')})`,
);

const UPDATE_REFUND = sql(`update "refund" set ${REFUND_MUTABLE.map((c) => `"${c}" = ?`).join(', ')} where "id" = ?`);

const INSERT_ORDER = sql(
  `insert into "refund_order" (${ORDER_COLUMNS.map((c) => `"${c}"`).join(', ')}) values (${ORDER_COLUMNS.map(() => '?').join(', ')})`,
);
const UPDATE_ORDER = sql(
  `update "refund_order" set ${ORDER_MUTABLE.map((c) => `"${c}" = ?`).join(', ')} where "id" = ?`,
);

/** The refund with its order, both locked on PostgreSQL; null when there is no such refund. */
export async function lockRefund(session: SqlSession, id: string): Promise<Refund | null> {
  const row = await session.one(LOCK_REFUND, [id]);
  return row ? refundOf(row) : null;
}

/** The refund with its order as committed, without a lock; null when there is no such refund. */
export async function refundById(session: SqlSession, id: string): Promise<Refund | null> {
  const row = await session.one(REFUND_BY_ID, [id]);
  return row ? refundOf(row) : null;
}

export async function refundByKey(
  session: SqlSession,
  key: { gateway: string; merchantId: string; refundNo: string },
): Promise<Refund | null> {
  const row = await session.one(REFUND_BY_KEY, [key.gateway, key.merchantId, key.refundNo]);
  return row ? refundOf(row) : null;
}

/** The order row, locked on PostgreSQL and read afresh: balances and slots only change under this lock. */
export async function lockOrder(session: SqlSession, id: string): Promise<RefundOrder> {
  const row = await session.one(LOCK_ORDER, [id]);
  if (!row) throw new Error(`Order ${id} is gone`);
  return orderOf(row);
}

export async function orderById(session: SqlSession, id: string): Promise<RefundOrder | null> {
  const row = await session.one(ORDER_BY_ID, [id]);
  return row ? orderOf(row) : null;
}

export function insertRefund(session: SqlSession, refund: Refund): void {
  const values: Record<(typeof REFUND_COLUMNS)[number], SqlValue> = {
    id: refund.id,
    gateway: refund.gateway,
    merchant_id: refund.merchantId,
    refund_no: refund.refundNo,
    order_id: refund.order.id,
    amount: refund.amount,
    merchant_order_no: refund.merchantOrderNo,
    gateway_order_no: refund.gatewayOrderNo,
    total_amount: refund.totalAmount,
    paid_at: refund.paidAt,
    pay_method: refund.payMethod,
    reason: refund.reason,
    notify_url: refund.notifyUrl,
    requested_by: refund.requestedBy,
    gateway_options: JSON.stringify(refund.gatewayOptions),
    ...mutableOf(refund),
    created_at: refund.createdAt,
  };
  session.write(
    INSERT_REFUND,
    REFUND_COLUMNS.map((c) => values[c]),
  );
}

/** Writes every column the write path may have changed on the refund. */
export function updateRefund(session: SqlSession, refund: Refund): void {
  const values = mutableOf(refund);
  session.write(UPDATE_REFUND, [...REFUND_MUTABLE.map((c) => values[c]), refund.id]);
}

export function insertOrder(session: SqlSession, order: RefundOrder): void {
  const values: Record<(typeof ORDER_COLUMNS)[number], SqlValue> = {
    id: order.id,
    gateway: order.gateway,
    merchant_id: order.merchantId,
    order_ref: order.orderRef,
    total_amount: order.totalAmount,
    created_at: order.createdAt,
    ...orderMutableOf(order),
  };
  session.write(
    INSERT_ORDER,
    ORDER_COLUMNS.map((c) => values[c]),
  );
}

/** Writes the balances, the slot and the order numbers; the caller holds the order's row lock. */
export function updateOrder(session: SqlSession, order: RefundOrder): void {
  const values = orderMutableOf(order);
  session.write(UPDATE_ORDER, [...ORDER_MUTABLE.map((c) => values[c]), order.id]);
}

function mutableOf(refund: Refund): Record<(typeof REFUND_MUTABLE)[number], SqlValue> {
  return {
    status: refund.status,
    gateway_refund_no: refund.gatewayRefundNo,
    gateway_status: refund.gatewayStatus,
    failure_code: refund.failureCode,
    failure_message: refund.failureMessage,
    attempts: refund.attempts,
    sync_count: refund.syncCount,
    next_sync_at: refund.nextSyncAt,
    updated_at: refund.updatedAt,
    finished_at: refund.finishedAt,
    submitted_at: refund.submittedAt,
    deferred_at: refund.deferredAt,
    attention_reason: refund.attentionReason,
    attention_since: refund.attentionSince,
    lease_owner: refund.leaseOwner,
    lease_expires_at: refund.leaseExpiresAt,
  };
}

function orderMutableOf(order: RefundOrder): Record<(typeof ORDER_MUTABLE)[number], SqlValue> {
  return {
    merchant_order_no: order.merchantOrderNo,
    gateway_order_no: order.gatewayOrderNo,
    reserved_amount: order.reservedAmount,
    refunded_amount: order.refundedAmount,
    slot_refund_id: order.slotRefundId,
    slot_expires_at: order.slotExpiresAt,
    updated_at: order.updatedAt,
  };
}

const NEXT_QUEUED = sql(`select "id" from "refund"
  where "order_id" = ? and "status" in ('REQUESTED', 'UNKNOWN') and "deferred_at" is not null and "id" <> ?
  order by "id" asc limit 1`);

/** The oldest refund of the order queued for its submission slot, other than `refundId`. */
export async function nextQueuedRefund(session: SqlSession, orderId: string, refundId: string): Promise<string | null> {
  const row = await session.one(NEXT_QUEUED, [orderId, refundId]);
  return row ? String(row.id) : null;
}

/** What the write path would write of a row, dates as their times, to tell whether anything changed. */
export type RowState = readonly (string | number | boolean | null)[];

/** What the write path would write of the refund (see {@link sameState}). */
export function refundState(refund: Refund): RowState {
  return stateOf(mutableOf(refund));
}

/** What the write path would write of the order (see {@link sameState}). */
export function orderState(order: RefundOrder): RowState {
  return stateOf(orderMutableOf(order));
}

/** Whether nothing changed between two states of one row. */
export function sameState(a: RowState, b: RowState): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function stateOf(values: Record<string, SqlValue>): RowState {
  const state: Array<string | number | boolean | null> = [];
  for (const value of Object.values(values)) state.push(value instanceof Date ? value.getTime() : value);
  return state;
}

const LOCK_REFUND_ROW = sql(`select "id" from "refund" where "id" = ? {forUpdate}`);

/** Locks the refund's row alone (PostgreSQL); false when there is no such refund. */
export async function lockRefundRow(session: SqlSession, id: string): Promise<boolean> {
  return (await session.one(LOCK_REFUND_ROW, [id])) !== undefined;
}

const UNDEFER = sql(`update "refund" set "deferred_at" = null, "updated_at" = ? where "id" = ? and "lease_owner" = ?`);

/** Ends a refund's wait after a "not now", under the caller's lease, as its submission goes out. */
export async function clearDeferral(session: SqlSession, id: string, at: { lease: string; now: Date }): Promise<void> {
  await session.run(UNDEFER, [at.now, id, at.lease]);
}

'use strict';
/**
 * The SQL of the reference implementation: the statements refundhub runs for one POST /refunds on
 * its own tables (as MikroORM's query log shows them), written once with `?` placeholders. SQLite
 * takes them as they are; PostgreSQL numbers the placeholders and adds the row locks (FOR UPDATE)
 * that the product takes there. Rows are built here too, so both stores write the same values.
 */
const { randomBytes, randomUUID } = require('node:crypto');

/** Ids that sort by creation time, as refund-core's newId makes them. */
const newId = (prefix, at) =>
  `${prefix}_${at.getTime().toString(16).padStart(12, '0')}${randomBytes(10).toString('hex')}`;

/** How long a new refund's own submission holds its lease, and when the sync loop would look at it. */
const LEASE_MS = 30_000;
const REQUESTED_GRACE_MS = 60_000;
const PROCESSING_NEXT_SYNC_MS = 60_000;

const REFUND_WITH_ORDER = `select r.*, o.total_amount as o_total_amount, o.reserved_amount as o_reserved_amount,
  o.refunded_amount as o_refunded_amount, o.gateway_order_no as o_gateway_order_no
  from refund r join refund_order o on r.order_id = o.id`;

const SQL = {
  refundByKey: `${REFUND_WITH_ORDER} where r.gateway = ? and r.merchant_id = ? and r.refund_no = ? limit 1`,
  refundById: `${REFUND_WITH_ORDER} where r.id = ? limit 1`,
  // As the product's: each branch names the whole primary key (libs/refund-core order-ref-table.ts).
  orderRefs: `select * from refund_order_ref where gateway = ? and merchant_id = ? and kind = 'merchant' and value = ?
    union select * from refund_order_ref where gateway = ? and merchant_id = ? and kind = 'gateway' and value = ?`,
  orderById: 'select * from refund_order where id = ? limit 1',
  insertOutbox: `insert into refund_outbox (event_id, name, refund_id, payload, occurred_at, status, attempts,
    next_attempt_at, listeners) values (?, 'refund.requested', ?, ?, ?, 'pending', 0, ?, '{}') returning seq`,
  insertOrder: `insert into refund_order (id, gateway, merchant_id, order_ref, merchant_order_no, gateway_order_no,
    total_amount, reserved_amount, refunded_amount, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  reserveOnOrder: 'update refund_order set reserved_amount = reserved_amount + ?, updated_at = ? where id = ?',
  insertRefund: `insert into refund (id, gateway, merchant_id, refund_no, order_id, amount, merchant_order_no,
    gateway_order_no, total_amount, paid_at, pay_method, reason, notify_url, requested_by, gateway_options, status,
    attempts, sync_count, next_sync_at, created_at, updated_at, lease_owner, lease_expires_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'REQUESTED', 0, 0, ?, ?, ?, ?, ?)`,
  insertHistory: `insert into refund_history (refund_id, at, from_status, to_status, source, applied, gateway_status)
    values (?, ?, ?, ?, ?, ?, ?) returning id`,
  insertOrderRef: `insert into refund_order_ref (gateway, merchant_id, kind, value, order_id, source, created_at)
    values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
  insertExchange: `insert into refund_exchange (refund_id, operation, at, duration_ms, gateway_status, fields, outcome,
    changed, repeats) values (?, 'submit', ?, ?, ?, ?, 'applied', ?, 0) returning id`,
  orderGatewayNo: 'update refund_order set gateway_order_no = ? where id = ? and gateway_order_no is null',
  refundProcessing: `update refund set status = ?, gateway_refund_no = ?, gateway_status = ?, attempts = attempts + 1,
    next_sync_at = ?, updated_at = ?, submitted_at = ?, failure_code = ?, failure_message = ?,
    lease_owner = null, lease_expires_at = null where id = ? and lease_owner = ?`,
  outboxDone: `update refund_outbox set status = 'done', attempts = 1, relayed_at = ?, lease_owner = null,
    lease_expires_at = null where seq = ?`,
};

/** The statement for PostgreSQL: `$1, $2...` placeholders, and the product's row locks. */
function forPostgres(name) {
  let n = 0;
  const text = SQL[name].replace(/\?/g, () => `$${++n}`);
  return ['refundByKey', 'refundById', 'orderById'].includes(name) ? `${text} for update` : text;
}

/** The order's references a request gives: its merchant order number, its gateway order number. */
function referencesOf(order) {
  return [
    ...(order.merchantOrderNo ? [{ kind: 'merchant', value: order.merchantOrderNo }] : []),
    ...(order.gatewayOrderNo ? [{ kind: 'gateway', value: order.gatewayOrderNo }] : []),
  ];
}

/**
 * Everything transaction 1 writes for a new refund on a new or recorded order, as values in the
 * statements' order. `time` turns a Date into the dialect's value (epoch ms on SQLite, a Date on PG).
 */
function reservationRows(cmd, { now, key, orderId, time, json }) {
  const refundId = newId('rf', now);
  const lease = { owner: newId('ls', now), expiresAt: new Date(now.getTime() + LEASE_MS) };
  const order = cmd.order;
  const snapshot = {
    refund: {
      refundId,
      gateway: cmd.gateway,
      merchantId: cmd.merchantId,
      refundNo: cmd.refundNo,
      amount: cmd.amount,
      merchantOrderNo: order.merchantOrderNo ?? null,
      gatewayOrderNo: order.gatewayOrderNo ?? null,
      orderTotalAmount: order.totalAmount,
      gatewayRefundNo: null,
      createdAt: now.toISOString(),
    },
    occurredAt: now.toISOString(),
  };
  return {
    refundId,
    lease,
    outbox: [randomUUID(), refundId, JSON.stringify(snapshot), time(now), time(now)],
    order: [
      orderId,
      cmd.gateway,
      cmd.merchantId,
      order.merchantOrderNo ?? order.gatewayOrderNo,
      order.merchantOrderNo ?? null,
      order.gatewayOrderNo ?? null,
      order.totalAmount,
      cmd.amount,
      time(now),
      time(now),
    ],
    refund: [
      refundId,
      cmd.gateway,
      cmd.merchantId,
      cmd.refundNo,
      orderId,
      cmd.amount,
      order.merchantOrderNo ?? null,
      order.gatewayOrderNo ?? null,
      order.totalAmount,
      order.paidAt ? time(new Date(order.paidAt)) : null,
      order.payMethod ?? null,
      cmd.reason ?? null,
      cmd.notifyUrl ?? null,
      key,
      json(cmd.gatewayOptions ?? {}),
      time(new Date(now.getTime() + REQUESTED_GRACE_MS)),
      time(now),
      time(now),
      lease.owner,
      time(lease.expiresAt),
    ],
    references: referencesOf(order),
  };
}

/** The gateway's answer as the exchange log keeps it (the product's `fields` column). */
function exchangeFields(outcome) {
  return JSON.stringify({
    kind: outcome.kind,
    rawStatus: outcome.rawStatus,
    gatewayRefundNo: outcome.gatewayRefundNo,
    'order.merchantOrderNo': outcome.order?.merchantOrderNo,
    'order.gatewayOrderNo': outcome.order?.gatewayOrderNo,
    'order.totalAmount': outcome.order?.totalAmount,
  });
}

/** The refund's status after the submission's outcome: PROCESSING when accepted, UNKNOWN otherwise. */
function statusAfter(outcome) {
  return outcome.kind === 'processing' ? 'PROCESSING' : 'UNKNOWN';
}

/** The refund row as transaction 2 left it (the product answers from its entity, not a read-back). */
function afterSubmission(row, outcome, status, now) {
  return {
    ...row,
    status,
    gateway_refund_no: outcome.gatewayRefundNo ?? null,
    gateway_status: outcome.rawStatus ?? null,
    attempts: Number(row.attempts) + 1,
    updated_at: now,
    o_gateway_order_no: row.o_gateway_order_no ?? outcome.order?.gatewayOrderNo ?? null,
  };
}

/** The parameters of `orderRefs`: each branch takes the scope again. */
function orderRefParams(gateway, merchantId, merchantOrderNo, gatewayOrderNo) {
  return [gateway, merchantId, merchantOrderNo, gateway, merchantId, gatewayOrderNo];
}

/**
 * The gateway order number a submission's answer reveals, when it is new to the refund's order (as
 * the product asks: a number the order has is not looked up again), with the `insertOrderRef`
 * parameters that link it if it is free; null otherwise. `at` is the time as the store keeps it.
 */
function revealedRef(refund, outcome, at) {
  const value = outcome.order?.gatewayOrderNo;
  if (!value || value === refund.o_gateway_order_no) return null;
  return { value, params: [refund.gateway, refund.merchant_id, 'gateway', value, refund.order_id, 'gateway', at] };
}

module.exports = {
  orderRefParams,
  revealedRef,
  afterSubmission,
  SQL,
  forPostgres,
  newId,
  referencesOf,
  reservationRows,
  exchangeFields,
  statusAfter,
  PROCESSING_NEXT_SYNC_MS,
};

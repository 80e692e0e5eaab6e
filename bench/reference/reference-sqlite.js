'use strict';
/**
 * The reference's SQLite store: better-sqlite3, WAL, the run's `synchronous`, every statement
 * prepared once, and each phase one synchronous `BEGIN IMMEDIATE` transaction (db.transaction),
 * which is as little as SQLite lets a writer do: nothing else runs on the event loop meanwhile.
 */
const Database = require('better-sqlite3');

const {
  SQL,
  orderRefParams,
  revealedRef,
  reservationRows,
  exchangeFields,
  statusAfter,
  afterSubmission,
  newId,
  PROCESSING_NEXT_SYNC_MS,
} = require('./statements');
const { replayOf, orderRefusal, RACE_ATTEMPTS } = require('./refusals');

/** Dates as refund-core stores them on SQLite: epoch milliseconds. */
const time = (date) => date.getTime();

function openSqliteStore({ path, synchronous }) {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  const q = Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, db.prepare(text)]));

  const reserveTx = db.transaction((cmd, key, lookFirst) => {
    const byKey = () => q.refundByKey.get(cmd.gateway, cmd.merchantId, cmd.refundNo);
    // As the product: the number is looked up on a retry and before a refusal, never before a first insert.
    const existing = lookFirst ? byKey() : undefined;
    if (existing) return replayOf(existing, cmd);
    const existingOr = (refusal) => {
      const recordedRefund = byKey();
      return recordedRefund ? replayOf(recordedRefund, cmd) : refusal;
    };
    const now = new Date();
    // One statement for the request's references, as the product's findOwners: an unknown one matches nothing.
    const owners = new Set(
      q.orderRefs
        .all(...orderRefParams(cmd.gateway, cmd.merchantId, cmd.order.merchantOrderNo, cmd.order.gatewayOrderNo))
        .map((ref) => ref.order_id),
    );
    if (owners.size > 1)
      return existingOr({ kind: 'refused', http: 409, code: 'ORDER_REFERENCE_CONFLICT', message: 'two orders' });
    const [ownerId] = owners;
    const recorded = ownerId ? q.orderById.get(ownerId) : undefined;
    // Not looked up again, as the product: the transaction has held the one write lock since BEGIN.
    const refusal = recorded ? orderRefusal(recorded, cmd) : null;
    if (refusal) return existingOr(refusal);
    const orderId = recorded?.id ?? newId('ro', now);
    const rows = reservationRows(cmd, { now, key, orderId, time, json: JSON.stringify });
    const { seq } = q.insertOutbox.get(...rows.outbox);
    if (recorded) q.reserveOnOrder.run(cmd.amount, time(now), orderId);
    else q.insertOrder.run(...rows.order);
    q.insertRefund.run(...rows.refund);
    q.insertHistory.get(rows.refundId, time(now), null, 'REQUESTED', 'request', 1, null);
    for (const ref of rows.references)
      q.insertOrderRef.run(cmd.gateway, cmd.merchantId, ref.kind, ref.value, orderId, 'request', time(now));
    return { kind: 'created', refundId: rows.refundId, lease: rows.lease.owner, outboxSeq: seq };
  });

  const recordTx = db.transaction((reservation, outcome, exchange) => {
    const refund = q.refundById.get(reservation.refundId);
    const now = new Date();
    // A new number is linked if it is free, in one statement.
    const revealed = revealedRef(refund, outcome, time(now));
    const gatewayOrderNo = revealed && q.insertOrderRef.run(...revealed.params).changes === 1 ? revealed.value : null;
    const status = statusAfter(outcome);
    q.insertExchange.get(
      reservation.refundId,
      time(exchange.at),
      exchange.durationMs,
      outcome.rawStatus ?? null,
      exchangeFields(outcome),
      1,
    );
    q.insertHistory.get(reservation.refundId, time(now), 'REQUESTED', status, 'submit', 1, outcome.rawStatus ?? null);
    if (gatewayOrderNo) q.orderGatewayNo.run(gatewayOrderNo, refund.order_id);
    q.refundProcessing.run(
      status,
      outcome.gatewayRefundNo ?? null,
      outcome.rawStatus ?? null,
      time(new Date(now.getTime() + PROCESSING_NEXT_SYNC_MS)),
      time(now),
      time(exchange.at),
      status === 'UNKNOWN' ? `UNKNOWN_${outcome.reason ?? 'outcome'}` : null,
      status === 'UNKNOWN' ? (outcome.detail ?? null) : null,
      reservation.refundId,
      reservation.lease,
    );
    q.outboxDone.run(time(now), reservation.outboxSeq);
    return afterSubmission(refund, outcome, status, now);
  });

  return {
    /** Transaction 1: { kind: 'created' | 'replay' | 'refused', ... }; a lost race is tried again. */
    async reserve(cmd, key) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return reserveTx.immediate(cmd, key, attempt > 1);
        } catch (error) {
          if (!String(error.code).startsWith('SQLITE_CONSTRAINT') || attempt >= RACE_ATTEMPTS) throw error;
        }
      }
    },
    /** Transaction 2: the outcome of the submission; resolves the refund row with its order's amounts. */
    async record(reservation, outcome, exchange) {
      return recordTx.immediate(reservation, outcome, exchange);
    },
    async close() {
      db.close();
    },
  };
}

module.exports = { openSqliteStore };

'use strict';
/**
 * The reference's PostgreSQL store: a `pg` Pool of the API's size, named prepared statements (parsed
 * once per connection), BEGIN/COMMIT around each phase, the row locks the product takes (the
 * refund and the order FOR UPDATE), and each phase's writes sent as one statement once its reads are
 * done, as the product sends them.
 */
const { Pool } = require('pg');

const {
  SQL,
  orderRefParams,
  revealedRef,
  forPostgres,
  reservationRows,
  exchangeFields,
  statusAfter,
  afterSubmission,
  newId,
  PROCESSING_NEXT_SYNC_MS,
} = require('./statements');
const { replayOf, orderRefusal, RACE_ATTEMPTS } = require('./refusals');

const TEXT = Object.fromEntries(Object.keys(SQL).map((name) => [name, forPostgres(name)]));
const identity = (value) => value;
/** Prepared names of the composed statements, by the names they compose. */
const BATCH_NAMES = new Map();

/**
 * A transaction's tail of writes as one statement, `with "w1" as (…), … select …`, as the product's
 * PostgreSQL write path sends it (libs/refund-core postgres-write-batch.ts). `parts` are [name, values];
 * the rows of the part named `returning` (its `returning` clause) are the statement's rows.
 */
function batchOf(parts, returning) {
  const key = `${parts.map(([name]) => name).join(',')}>${returning ?? ''}`;
  if (!BATCH_NAMES.has(key)) BATCH_NAMES.set(key, `batch${BATCH_NAMES.size + 1}`);
  let offset = 0;
  const ctes = parts.map(([name, values], index) => {
    const shift = offset;
    offset += values.length;
    return `"w${index + 1}" as (${TEXT[name].replace(/\$(\d+)/g, (_, n) => `$${Number(n) + shift}`)})`;
  });
  const last = parts.findIndex(([name]) => name === returning);
  return {
    name: BATCH_NAMES.get(key),
    text: `with ${ctes.join(', ')} select ${last === -1 ? '1' : `* from "w${last + 1}"`}`,
    values: parts.flatMap(([, values]) => values),
  };
}

/** One transaction on a connection of the pool; rolled back when `work` throws. */
async function inTransaction(pool, work) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const run = (name, values) => client.query({ name, text: TEXT[name], values });
    run.batch = (parts, returning) => client.query(batchOf(parts, returning));
    const result = await work(run);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function openPostgresStore({ url, poolMax }) {
  const pool = new Pool({ connectionString: url, max: poolMax });

  const reserveIn = async (run, cmd, key, lookFirst) => {
    const byKey = async () => (await run('refundByKey', [cmd.gateway, cmd.merchantId, cmd.refundNo])).rows[0];
    // As the product: the number is looked up on a retry and before a refusal, never before a first insert.
    const existing = lookFirst ? await byKey() : undefined;
    if (existing) return replayOf(existing, cmd);
    const now = new Date();
    // One statement for the request's references, as the product's findOwners: an unknown one matches nothing.
    const refs = await run(
      'orderRefs',
      orderRefParams(cmd.gateway, cmd.merchantId, cmd.order.merchantOrderNo, cmd.order.gatewayOrderNo),
    );
    const owners = new Set(refs.rows.map((ref) => ref.order_id));
    const existingOr = async (refusal) => {
      const recordedRefund = await byKey();
      return recordedRefund ? replayOf(recordedRefund, cmd) : refusal;
    };
    if (owners.size > 1)
      return existingOr({ kind: 'refused', http: 409, code: 'ORDER_REFERENCE_CONFLICT', message: 'two orders' });
    const [ownerId] = owners;
    const recorded = ownerId ? (await run('orderById', [ownerId])).rows[0] : undefined;
    const refusal = recorded ? orderRefusal(recorded, cmd) : null;
    if (refusal) return existingOr(refusal);
    const orderId = recorded?.id ?? newId('ro', now);
    const rows = reservationRows(cmd, { now, key, orderId, time: identity, json: JSON.stringify });
    // Every check passed: the writes go as one statement.
    const writes = [
      ['insertOutbox', rows.outbox],
      recorded ? ['reserveOnOrder', [cmd.amount, now, orderId]] : ['insertOrder', rows.order],
      ['insertRefund', rows.refund],
      ['insertHistory', [rows.refundId, now, null, 'REQUESTED', 'request', true, null]],
      ...rows.references.map((ref) => [
        'insertOrderRef',
        [cmd.gateway, cmd.merchantId, ref.kind, ref.value, orderId, 'request', now],
      ]),
    ];
    const { seq } = (await run.batch(writes, 'insertOutbox')).rows[0];
    return { kind: 'created', refundId: rows.refundId, lease: rows.lease.owner, outboxSeq: seq };
  };

  const recordIn = async (run, reservation, outcome, exchange) => {
    // The refund and its order, both locked (`for update` on the join).
    const refund = (await run('refundById', [reservation.refundId])).rows[0];
    const now = new Date();
    // A new number is linked if it is free, in one statement.
    const revealed = revealedRef(refund, outcome, now);
    const gatewayOrderNo =
      revealed && (await run('insertOrderRef', revealed.params)).rowCount === 1 ? revealed.value : null;
    const status = statusAfter(outcome);
    const raw = outcome.rawStatus ?? null;
    // The reads are done: the writes go as one statement.
    await run.batch([
      ...(gatewayOrderNo ? [['orderGatewayNo', [gatewayOrderNo, refund.order_id]]] : []),
      ['insertExchange', [reservation.refundId, exchange.at, exchange.durationMs, raw, exchangeFields(outcome), true]],
      ['insertHistory', [reservation.refundId, now, 'REQUESTED', status, 'submit', true, raw]],
      [
        'refundProcessing',
        [
          status,
          outcome.gatewayRefundNo ?? null,
          raw,
          new Date(now.getTime() + PROCESSING_NEXT_SYNC_MS),
          now,
          exchange.at,
          status === 'UNKNOWN' ? `UNKNOWN_${outcome.reason ?? 'outcome'}` : null,
          status === 'UNKNOWN' ? (outcome.detail ?? null) : null,
          reservation.refundId,
          reservation.lease,
        ],
      ],
      ['outboxDone', [now, reservation.outboxSeq]],
    ]);
    return afterSubmission(refund, outcome, status, now);
  };

  return {
    /** Transaction 1: { kind: 'created' | 'replay' | 'refused', ... }; a lost race is tried again. */
    async reserve(cmd, key) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await inTransaction(pool, (run) => reserveIn(run, cmd, key, attempt > 1));
        } catch (error) {
          // 23505 unique_violation, 40P01 deadlock: another request committed first; look again.
          if (!['23505', '40P01'].includes(error.code) || attempt >= RACE_ATTEMPTS) throw error;
        }
      }
    },
    /** Transaction 2: the outcome of the submission; resolves the refund row with its order's amounts. */
    record(reservation, outcome, exchange) {
      return inTransaction(pool, (run) => recordIn(run, reservation, outcome, exchange));
    },
    close: () => pool.end(),
  };
}

module.exports = { openPostgresStore };

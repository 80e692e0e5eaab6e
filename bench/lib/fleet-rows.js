'use strict';
/**
 * Refund tables of any size, written by the database itself: one INSERT … SELECT per table over
 * `generate_series` on PostgreSQL, over a recursive CTE on SQLite (SQLite has no generate_series
 * built in), both in one transaction. A million refunds take seconds this way, where row-by-row
 * inserts from JavaScript would take minutes.
 *
 * Row i of `total` (1-based), oldest first, as a table that has run for a while looks:
 * - i <= final: settled long ago, SUCCEEDED (every tenth FAILED), `next_sync_at` null;
 * - then `waiting`: PROCESSING, next sync in an hour (the backoff has them);
 * - then `due`: PROCESSING, due a minute ago, one millisecond apart in refund-number order.
 * Each refund has an order of its own whose amounts agree with it. Refund numbers are `prefix` and i
 * in 7 digits, ids `rf_<refund number>`, orders `or_<refund number>`: tables of several prefixes
 * live side by side.
 */
const pad7 = (i) => String(i).padStart(7, '0');

/** The refund numbers of the due rows, in due order. */
function dueRefundNos({ total, due, prefix }) {
  return Array.from({ length: due }, (_, k) => `${prefix}${pad7(total - due + k + 1)}`);
}

function checked(rows) {
  const { total, due, waiting, prefix, gateway, merchantId, amount } = rows;
  for (const [name, value] of Object.entries({ total, due, waiting, amount })) {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  }
  if (due + waiting > total) throw new Error('due + waiting must not exceed total');
  // Interpolated into SQL: names from the benchmark's own constants, never from outside.
  for (const [name, value] of Object.entries({ prefix, gateway, merchantId })) {
    if (!/^[A-Za-z0-9_]+$/.test(value)) throw new Error(`${name} must be [A-Za-z0-9_]+, got '${value}'`);
  }
  return { ...rows, final: total - due - waiting, now: Date.now() };
}

function postgresStatements(r) {
  const at = (ms) => `to_timestamp((${ms})::double precision / 1000)`;
  const series = `
    select i, lpad(i::text, 7, '0') as n,
           ${at(`case when i <= ${r.final} then ${r.now} - (${r.total} - i)::bigint * 1000 else ${r.now} - 60000 end`)} as created
      from generate_series(1, ${r.total}) as i`;
  return [
    `insert into refund_order (id, gateway, merchant_id, order_ref, merchant_order_no, total_amount, reserved_amount,
                               refunded_amount, created_at, updated_at)
     select 'or_${r.prefix}' || n, '${r.gateway}', '${r.merchantId}', 'T${r.prefix}' || n, 'T${r.prefix}' || n, ${r.amount},
            case when i <= ${r.final} and i % 10 = 0 then 0 else ${r.amount} end,
            case when i <= ${r.final} and i % 10 <> 0 then ${r.amount} else 0 end,
            created, created
       from (${series}) s`,
    `insert into refund (id, gateway, merchant_id, refund_no, order_id, amount, merchant_order_no, total_amount,
                         gateway_options, status, gateway_refund_no, gateway_status, attempts, sync_count,
                         next_sync_at, created_at, updated_at, finished_at, submitted_at)
     select 'rf_${r.prefix}' || n, '${r.gateway}', '${r.merchantId}', '${r.prefix}' || n, 'or_${r.prefix}' || n, ${r.amount}, 'T${r.prefix}' || n,
            ${r.amount}, '{}'::jsonb,
            case when i > ${r.final} then 'PROCESSING' when i % 10 = 0 then 'FAILED' else 'SUCCEEDED' end,
            'G' || n,
            case when i > ${r.final} then 'PROCESSING' when i % 10 = 0 then 'FAIL' else 'SUCCESS' end,
            1, case when i <= ${r.final} then 3 else 0 end,
            case when i <= ${r.final} then null
                 when i <= ${r.final + r.waiting} then ${at(`${r.now} + 3600000 + i`)}
                 else ${at(`${r.now} - 60000 + (i - ${r.final + r.waiting})`)} end,
            created, created,
            case when i <= ${r.final} then created + interval '1 day' else null end,
            created
       from (${series}) s`,
  ];
}

function sqliteStatements(r) {
  // Dates are epoch milliseconds in SQLite, as MikroORM writes them there.
  const series = `
    with recursive seq(i) as (select 1 union all select i + 1 from seq where i < ${r.total})
    select i, printf('%07d', i) as n,
           case when i <= ${r.final} then ${r.now} - (${r.total} - i) * 1000 else ${r.now} - 60000 end as created
      from seq`;
  return [
    `insert into refund_order (id, gateway, merchant_id, order_ref, merchant_order_no, total_amount, reserved_amount,
                               refunded_amount, created_at, updated_at)
     select 'or_${r.prefix}' || n, '${r.gateway}', '${r.merchantId}', 'T${r.prefix}' || n, 'T${r.prefix}' || n, ${r.amount},
            case when i <= ${r.final} and i % 10 = 0 then 0 else ${r.amount} end,
            case when i <= ${r.final} and i % 10 <> 0 then ${r.amount} else 0 end,
            created, created
       from (${series})`,
    `insert into refund (id, gateway, merchant_id, refund_no, order_id, amount, merchant_order_no, total_amount,
                         gateway_options, status, gateway_refund_no, gateway_status, attempts, sync_count,
                         next_sync_at, created_at, updated_at, finished_at, submitted_at)
     select 'rf_${r.prefix}' || n, '${r.gateway}', '${r.merchantId}', '${r.prefix}' || n, 'or_${r.prefix}' || n, ${r.amount}, 'T${r.prefix}' || n,
            ${r.amount}, '{}',
            case when i > ${r.final} then 'PROCESSING' when i % 10 = 0 then 'FAILED' else 'SUCCEEDED' end,
            'G' || n,
            case when i > ${r.final} then 'PROCESSING' when i % 10 = 0 then 'FAIL' else 'SUCCESS' end,
            1, case when i <= ${r.final} then 3 else 0 end,
            case when i <= ${r.final} then null
                 when i <= ${r.final + r.waiting} then ${r.now} + 3600000 + i
                 else ${r.now} - 60000 + (i - ${r.final + r.waiting}) end,
            created, created,
            case when i <= ${r.final} then created + 86400000 else null end,
            created
       from (${series})`,
  ];
}

/**
 * Writes the rows through `orm`'s connection in one transaction, then, on PostgreSQL, vacuums and
 * analyzes the tables: autovacuum would do both soon after a load like this, and must not do them
 * while the claims are being timed. Returns the seconds taken.
 */
async function insertRefundRows(orm, dialect, rows) {
  const r = checked(rows);
  const started = Date.now();
  const statements = dialect === 'postgresql' ? postgresStatements(r) : sqliteStatements(r);
  await orm.em.fork().transactional(async (em) => {
    for (const sql of statements) await em.getConnection().execute(sql, [], 'run', em.getTransactionContext());
  });
  if (dialect === 'postgresql') await orm.em.getConnection().execute('vacuum (analyze) refund_order, refund');
  return (Date.now() - started) / 1000;
}

module.exports = { insertRefundRows, dueRefundNos };

'use strict';
/**
 * Claim time against table size: how long `RefundClaims.claimDue(batch)` (the first step of every
 * sync round) takes when the refund table holds 10,000 and 1,000,000 refunds, most of them final and
 * the same few thousand due in both. Only the table's size differs between the two, so their ratio
 * says whether the claim stays flat as the history grows.
 *
 * Each sample claims one batch and is then given back (outside the timing), so every sample sees
 * the same table: nothing leased, the same refunds due. The bare reference, taken alternately with
 * the claims on the same connection pool, is a transaction that runs only `select 1`: what any claim
 * costs before its own query. The claim's statement is explained by the database (EXPLAIN ANALYZE on
 * PostgreSQL, rolled back; EXPLAIN QUERY PLAN on SQLite).
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { MikroORM } = require('@mikro-orm/core');
const {
  RefundClaims,
  RefundSettings,
  RefundWrites,
  SystemClock,
  migrateRefundSchema,
  refundOrmOptions,
} = require('@refundhub/core');
// The claim's one statement, for its plan: an internal of refund-core's write path.
const { LEASE_DUE } = require(path.join(__dirname, '..', '..', 'libs/refund-core/dist/persistence/sql/lease-table'));

const { createBenchDatabase } = require('../lib/databases');
const { settledDisk } = require('../lib/fleet-machine');
const { insertRefundRows } = require('../lib/fleet-rows');
const { summarize } = require('../lib/stats');

const WARMUP = 5;

/** Ends a transaction by rolling it back, carrying what was read inside it. */
class RolledBack extends Error {
  constructor(rows) {
    super('rolled back on purpose');
    this.rows = rows;
  }
}

function newClaims(orm) {
  return new RefundClaims(new RefundWrites(orm), new SystemClock(), RefundSettings.from({}));
}

const release = (orm, claimed) =>
  claimed.length
    ? orm.em
        .fork()
        .getConnection()
        .execute(
          'update refund set lease_owner = null, lease_expires_at = null where lease_owner = ?',
          [claimed[0].lease],
          'run',
        )
    : Promise.resolve();

/**
 * The claim's statement (one `update … returning` that picks and leases the batch) and the database's
 * plan for it, with the parameters a claim now would bind.
 */
async function claimPlan(database, dialect, batch) {
  const orm = await MikroORM.init(await refundOrmOptions(database));
  try {
    const now = Date.now();
    const at = (ms) => (dialect === 'sqlite' ? ms : new Date(ms));
    const params = ['ls_explain', at(now + 60_000), at(now), at(now), batch];
    // Written once for both dialects; knex binds `?` on either.
    const statement = dialect === 'sqlite' ? LEASE_DUE.sqlite : LEASE_DUE.postgresql.replace(/\$\d+/g, '?');
    const connection = orm.em.getConnection();
    if (dialect === 'sqlite') {
      const rows = await connection.execute(`explain query plan ${statement}`, params);
      return { sql: statement, plan: rows.map((r) => r.detail) };
    }
    // ANALYZE runs the statement (it leases the batch): inside a transaction that is rolled back.
    const plan = await orm.em
      .fork()
      .transactional(async (em) => {
        const rows = await em
          .getConnection()
          .execute(`explain (analyze, buffers) ${statement}`, params, 'all', em.getTransactionContext());
        throw new RolledBack(rows.map((r) => r['QUERY PLAN']));
      })
      .catch((error) => (error instanceof RolledBack ? error.rows : [`EXPLAIN failed: ${error.message}`]));
    return { sql: statement, plan };
  } finally {
    await orm.close(true);
  }
}

/** One table size on one dialect: a fresh database, the rows, the samples. */
async function measureClaims({ dialect, rows, due, settings, fleet, check, cleanups }) {
  const db = await createBenchDatabase(dialect, settings);
  cleanups.add(db.drop);
  let orm;
  try {
    orm = await MikroORM.init(await refundOrmOptions(db.options));
    await migrateRefundSchema(orm);
    const shape = { total: rows, due, waiting: fleet.claimWaiting };
    const insertSeconds = await insertRefundRows(orm, dialect, {
      ...shape,
      prefix: 'C',
      gateway: 'fleet',
      merchantId: 'm1',
      amount: 100,
    });
    // What the load left to write (PostgreSQL's dirty buffers, the page cache) is written before the
    // timing, not during it: a table that has been there a while has none.
    if (dialect === 'postgresql') await orm.em.getConnection().execute('checkpoint');
    const unwrittenKiB = await settledDisk();
    const claims = newClaims(orm);
    const claimMs = [];
    const referenceMs = [];
    let short = 0;
    for (let i = 0; i < WARMUP + fleet.claimSamples; i += 1) {
      let started = performance.now();
      const claimed = await claims.claimDue(fleet.batchSize);
      const took = performance.now() - started;
      if (claimed.length !== fleet.batchSize) short += 1;
      await release(orm, claimed);
      started = performance.now();
      await orm.em
        .fork()
        .transactional((em) => em.getConnection().execute('select 1', [], 'all', em.getTransactionContext()));
      const reference = performance.now() - started;
      if (i >= WARMUP) {
        claimMs.push(took);
        referenceMs.push(reference);
      }
    }
    check(
      `sync-fleet: every claim at ${rows} rows (${due} due) took a full batch of ${fleet.batchSize}`,
      short === 0,
      `${short} of ${WARMUP + fleet.claimSamples} claims came back short`,
    );
    await orm.close(true);
    orm = undefined;
    const { sql, plan } = await claimPlan(db.options, dialect, fleet.batchSize);
    return {
      dialect,
      rows,
      due,
      waiting: fleet.claimWaiting,
      final: rows - due - fleet.claimWaiting,
      batch: fleet.batchSize,
      insertSeconds,
      unwrittenKiBAtStart: unwrittenKiB,
      claimMs: summarize(claimMs),
      referenceMs: summarize(referenceMs),
      sql,
      plan,
    };
  } finally {
    await orm?.close(true);
    await db.drop();
    cleanups.delete(db.drop);
  }
}

/** Every table size on every dialect asked for, the ratio of the largest to the smallest, then a backlog. */
async function claimTimes({ settings, fleet, check, cleanups, say }) {
  const results = [];
  const report = (result) =>
    say(
      `[fleet] claim ${result.dialect} ${result.rows} rows, ${result.due} due: p50 ${result.claimMs.p50} ms (bare transaction ${result.referenceMs.p50} ms), rows written in ${result.insertSeconds.toFixed(1)} s`,
    );
  for (const dialect of settings.dialects) {
    const sizes = [...fleet.claimRows].sort((a, b) => a - b);
    for (const rows of sizes) {
      if (rows < fleet.claimDue + fleet.claimWaiting) {
        throw new Error(`BENCH_FLEET_CLAIM_ROWS: ${rows} is fewer than the due and waiting refunds`);
      }
      const result = await measureClaims({ dialect, rows, due: fleet.claimDue, settings, fleet, check, cleanups });
      report(result);
      results.push(result);
    }
    const mine = results.filter((r) => r.dialect === dialect);
    if (mine.length >= 2) {
      const small = mine[0];
      const large = mine[mine.length - 1];
      const ratio = large.claimMs.p50 / small.claimMs.p50;
      large.ratioToSmallest = ratio;
      // A claim that grows with the table would show here long before it hurt: the index must do the work.
      check(
        `sync-fleet: the claim stays flat from ${small.rows} to ${large.rows} rows on ${dialect}`,
        ratio < 2,
        `p50 ${small.claimMs.p50} ms -> ${large.claimMs.p50} ms (x${ratio.toFixed(2)}); in units of the bare ` +
          `transaction ${(small.claimMs.p50 / small.referenceMs.p50).toFixed(1)} -> ${(large.claimMs.p50 / large.referenceMs.p50).toFixed(1)}`,
        'warn',
      );
    }
    // A backlog (the gateway was down for hours): many more refunds due than a round takes. The claim
    // reads its batch off the front of the due index, so it must cost what it costs with few due.
    if (fleet.claimBacklog > 0 && mine.length >= 1) {
      const small = mine[0];
      const rows = Math.max(sizes[sizes.length - 1], fleet.claimBacklog + fleet.claimWaiting);
      const backlog = await measureClaims({ dialect, rows, due: fleet.claimBacklog, settings, fleet, check, cleanups });
      const ratio = backlog.claimMs.p50 / small.claimMs.p50;
      backlog.backlog = true;
      backlog.ratioToSmallest = ratio;
      report(backlog);
      check(
        `sync-fleet: the claim stays flat with ${backlog.due} due on ${dialect}`,
        ratio < 2,
        `p50 ${small.claimMs.p50} ms with ${small.due} due -> ${backlog.claimMs.p50} ms with ${backlog.due} due (x${ratio.toFixed(2)})`,
        'warn',
      );
      results.push(backlog);
    }
  }
  return results;
}

module.exports = { claimTimes };

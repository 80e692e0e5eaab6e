#!/usr/bin/env node
'use strict';
/**
 * `GET /overview` at scale: the overview's statements on a refund table of BENCH_OVERVIEW_ROWS rows
 * (default 1,000,000), on SQLite and PostgreSQL, each on a database of its own.
 *
 * Rows are written by the database itself (one INSERT … SELECT over a recursive CTE on SQLite, over
 * `generate_series` on PostgreSQL): 4 gateways × 5 merchants in blocks of 100 consecutive refunds;
 * in each block 1 % REQUESTED, 3 % PROCESSING, 1 % UNKNOWN, 7 % FAILED, the rest SUCCEEDED; one
 * PROCESSING refund in 700 needs attention; 10,000 webhook deliveries and 10,000 outbox events in a
 * mix of states. Then ANALYZE (VACUUM ANALYZE on PostgreSQL), and:
 * - the plan of every statement (EXPLAIN QUERY PLAN / EXPLAIN), and of `GET /refunds?status=`'s, which must
 *   name an index and no full scan of a table (FAIL otherwise);
 * - `RefundOverviewService.overview()` timed BENCH_OVERVIEW_SAMPLES times for a key for every merchant
 *   (outbox included) and for a key of one merchant, after 3 unmeasured runs;
 * - bare reference, sampled alternately: the same statements, in the same order, run directly with
 *   better-sqlite3 / pg, without MikroORM or the service.
 *
 * Usage: node bench/overview.js   (BENCH_DIALECTS=sqlite to skip PostgreSQL; REFUNDHUB_BENCH_PG_URL)
 * The TypeScript sources are compiled as they load (no build needed). Results: bench/results/overview.json.
 */
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

process.env.SWC_NODE_PROJECT = path.join(__dirname, '..', 'scripts', 'openapi.tsconfig.json');
require('@swc-node/register');
require('reflect-metadata');

const { MikroORM } = require('@mikro-orm/core');
const BetterSqlite = require('better-sqlite3');
const { Client } = require('pg');
const core = require('../libs/refund-core/src/index.ts');
const { createBenchDatabase, checkPostgres } = require('./lib/databases');

const ROWS = Number(process.env.BENCH_OVERVIEW_ROWS || 1_000_000);
const SAMPLES = Number(process.env.BENCH_OVERVIEW_SAMPLES || 30);
const PG_URL = process.env.REFUNDHUB_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DIALECTS = (process.env.BENCH_DIALECTS || 'sqlite,postgresql').split(',');
const GATEWAYS = ['leshua', 'chaoying', 'umf', 'baofoo'];
const ONE_MERCHANT = ['leshua:m0'];

/** The pair of block b: gateway b % 4, merchant m(b / 4), for b = (i / 100) % 20. */
function pairSql(dialect) {
  const block = dialect === 'postgresql' ? '((i / 100) % 20)' : '((i / 100) % 20)';
  const gateway = `case ${block} % 4 ${GATEWAYS.map((g, k) => `when ${k} then '${g}'`).join(' ')} end`;
  const merchant = `'m' || (${block} / 4)`;
  const order = `'or_bench_' || ${block}`;
  return { gateway, merchant, order };
}

function seedStatements(dialect, now) {
  const pg = dialect === 'postgresql';
  const at = (ms) => (pg ? `to_timestamp((${ms})::double precision / 1000)` : `(${ms})`);
  const series = (n) =>
    pg
      ? `select i from generate_series(1, ${n}) as i`
      : `with recursive seq(i) as (select 1 union all select i + 1 from seq where i < ${n}) select i from seq`;
  const pad = pg ? `lpad(i::text, 7, '0')` : `printf('%07d', i)`;
  const { gateway, merchant, order } = pairSql(dialect);
  const orders = Array.from({ length: 20 }, (_, b) => {
    const g = GATEWAYS[b % 4];
    return `('or_bench_${b}', '${g}', 'm${Math.floor(b / 4)}', 'TB${b}', 'TB${b}', 1000000000, 0, 0, ${at(now)}, ${at(now)})`;
  });
  const status = `case when i % 100 < 1 then 'REQUESTED' when i % 100 < 4 then 'PROCESSING' when i % 100 < 5 then 'UNKNOWN'
                       when i % 100 < 12 then 'FAILED' else 'SUCCEEDED' end`;
  const flagged = `i % 700 = 1`;
  const reasons = ['gateway_change', 'sync_exhausted', 'gateway_lost_refund', 'order_reference_conflict'];
  const reason = `case when ${flagged} then (case (i / 700) % 4 ${reasons.map((r, k) => `when ${k} then '${r}'`).join(' ')} end) else null end`;
  const created = `${now} - (${ROWS} - i) * 1000`;
  const json = pg ? `'{}'::jsonb` : `'{}'`;
  const refundOf = (j) =>
    `'rf_bench' || ${pg ? `lpad(((${j} * 97) % ${ROWS} + 1)::text, 7, '0')` : `printf('%07d', (${j} * 97) % ${ROWS} + 1)`}`;
  return [
    `insert into refund_order (id, gateway, merchant_id, order_ref, merchant_order_no, total_amount, reserved_amount,
                               refunded_amount, created_at, updated_at) values ${orders.join(', ')}`,
    `insert into refund (id, gateway, merchant_id, refund_no, order_id, amount, merchant_order_no, total_amount,
                         gateway_options, status, attempts, sync_count, next_sync_at, created_at, updated_at,
                         attention_reason, attention_since)
     select 'rf_bench' || ${pad}, ${gateway}, ${merchant}, 'B' || ${pad}, ${order}, 100, 'TB' || ((i / 100) % 20), 1000000000,
            ${json}, ${status}, 1, 0,
            case when i % 100 < 5 then ${at(`${now} + 60000`)} else null end,
            ${at(created)}, ${at(created)},
            ${reason}, case when ${flagged} then ${at(created)} else null end
       from (${series(ROWS)}) s`,
    `insert into webhook_delivery (id, refund_id, event_id, event_type, url, body, status, attempts, next_attempt_at,
                                   created_at, updated_at)
     select 'wd_bench' || ${pad}, ${refundOf('i')}, 'evt_wd' || ${pad}, 'refund.succeeded', 'https://shop.example.com/hooks', '{}',
            case when i % 10 = 0 then 'failed' when i % 10 < 3 then 'pending' else 'delivered' end,
            case when i % 10 = 0 then 12 when i % 10 < 3 then i % 3 else 1 end,
            case when i % 10 = 0 or i % 10 >= 3 then null else ${at(`${now} + 60000`)} end,
            ${at(now)}, ${at(now)}
       from (${series(10000)}) s`,
    `insert into refund_outbox (event_id, name, refund_id, payload, occurred_at, status, attempts, next_attempt_at,
                                listeners, last_error)
     select 'evt_ob' || ${pad}, 'refund.succeeded', ${refundOf('i')}, ${json}, ${at(now)},
            case when i % 50 = 0 then 'poisoned' when i % 10 = 1 then 'pending' else 'done' end,
            1, ${at(now)}, ${json},
            case when i % 20 = 1 then 'listener failed' else null end
       from (${series(10000)}) s`,
  ];
}

/** The statements the overview runs for a scope, in its order, with their parameters (the service's own strings). */
function statementsFor(scope, outbox, oldestPairs) {
  const S = core.overviewStatements(scope);
  const list = [
    [S.counts, S.params],
    [S.attention, S.params],
  ];
  for (const pair of oldestPairs) list.push([S.oldestUnfinished, pair]);
  list.push([S.webhooksGivenUp, S.params], [S.webhooksFailing, S.params]);
  if (outbox) list.push([S.outboxPending, []], [S.outboxFailing, []], [S.outboxPoisoned, []]);
  return list;
}

function pgParams(sql) {
  let k = 0;
  return sql.replace(/\?/g, () => `$${++k}`);
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function stats(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    p50: +quantile(sorted, 0.5).toFixed(2),
    p95: +quantile(sorted, 0.95).toFixed(2),
    max: +sorted.at(-1).toFixed(2),
  };
}

async function runDialect(dialect) {
  const db = await createBenchDatabase(dialect, { pgUrl: PG_URL });
  const result = { dialect, rows: ROWS };
  let orm;
  let bare;
  try {
    orm = await MikroORM.init(await core.refundOrmOptions(db.options));
    await core.migrateRefundSchema(orm);
    const now = Date.now();
    const seedStarted = Date.now();
    await orm.em.fork().transactional(async (em) => {
      for (const sql of seedStatements(dialect, now)) {
        await em.getConnection().execute(sql, [], 'run', em.getTransactionContext());
      }
    });
    await orm.em.getConnection().execute(dialect === 'postgresql' ? 'vacuum (analyze)' : 'analyze', [], 'run');
    result.seedSeconds = +((Date.now() - seedStarted) / 1000).toFixed(1);
    console.log(`${dialect}: ${ROWS} refunds seeded in ${result.seedSeconds} s`);

    const clock = { now: () => new Date() };
    const service = new core.RefundOverviewService(orm, clock);
    const all = await service.overview('*', { outbox: true });
    const pairs = [];
    for (const g of all.gateways) for (let m = 0; m < 5; m += 1) pairs.push([g.gateway, `m${m}`]);
    pairs.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    result.figures = {
      gateways: all.gateways.map((g) => ({ gateway: g.gateway, total: g.total, flagged: g.needsAttention.total })),
      webhooks: all.webhooks,
      outbox: all.outbox,
    };

    // Plans.
    if (dialect === 'sqlite') {
      bare = new BetterSqlite(db.options.path, { readonly: true });
    } else {
      bare = new Client({ connectionString: db.options.url });
      await bare.connect();
    }
    const runBare = async (sql, params) =>
      dialect === 'sqlite' ? bare.prepare(sql).all(...params) : (await bare.query(pgParams(sql), params)).rows;
    const plans = [];
    let planFailures = 0;
    const explained = [
      ...statementsFor('*', true, [pairs[0]]),
      ...statementsFor(ONE_MERCHANT, false, []).slice(0, 2),
      ...statementsFor(ONE_MERCHANT, false, []).slice(-2),
      // `GET /refunds?status=` (newest first, a page of 50 and one more), on refund_status_id_idx.
      [`select * from "refund" where "status" = ? order by "id" desc limit 51`, ['PROCESSING']],
    ];
    for (const [sql, params] of explained) {
      const rows = await runBare(dialect === 'sqlite' ? `explain query plan ${sql}` : `explain ${sql}`, params);
      const plan = rows.map((r) => r.detail ?? r['QUERY PLAN']).join('\n');
      const indexed = /USING (COVERING )?INDEX|Index (Only )?Scan|Bitmap Index Scan|USING INTEGER PRIMARY KEY/i.test(
        plan,
      );
      const fullScan = /SCAN (refund|webhook_delivery|refund_outbox)(?! USING)|Seq Scan/i.test(plan);
      if (!indexed || fullScan) planFailures += 1;
      plans.push({ sql: sql.replace(/\s+/g, ' '), plan, indexed: indexed && !fullScan });
    }
    result.plans = plans;
    result.planFailures = planFailures;

    // Timings: the service, and the bare statements in the same order, alternately.
    const oneScopePairs = pairs.filter(([g, m]) => `${g}:${m}` === ONE_MERCHANT[0]);
    const cases = [
      { name: 'every merchant, with outbox', scope: '*', outbox: true, pairs },
      { name: 'one merchant', scope: ONE_MERCHANT, outbox: false, pairs: oneScopePairs },
    ];
    result.timings = [];
    for (const c of cases) {
      const statements = statementsFor(c.scope, c.outbox, c.pairs);
      const serviceMs = [];
      const bareMs = [];
      for (let k = 0; k < SAMPLES + 3; k += 1) {
        let t = performance.now();
        await service.overview(c.scope, { outbox: c.outbox });
        const s = performance.now() - t;
        t = performance.now();
        for (const [sql, params] of statements) await runBare(sql, params);
        const b = performance.now() - t;
        if (k >= 3) {
          serviceMs.push(s);
          bareMs.push(b);
        }
      }
      result.timings.push({
        case: c.name,
        statements: statements.length,
        service: stats(serviceMs),
        bare: stats(bareMs),
      });
    }
  } finally {
    if (bare) dialect === 'sqlite' ? bare.close() : await bare.end();
    if (orm) await orm.close(true);
    await db.drop();
  }
  return result;
}

async function main() {
  const results = [];
  for (const dialect of DIALECTS) {
    if (dialect === 'postgresql') {
      const pg = await checkPostgres(PG_URL);
      if (!pg.ok) {
        console.log(`postgresql: SKIPPED (${pg.reason})`);
        continue;
      }
    }
    results.push(await runDialect(dialect));
  }
  const machine = {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
  };
  const out = { date: new Date().toISOString(), machine, rows: ROWS, samples: SAMPLES, results };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'overview.json'), `${JSON.stringify(out, null, 2)}\n`);
  for (const r of results) {
    console.log(`\n${r.dialect}: ${r.rows} refunds (seeded in ${r.seedSeconds} s)`);
    for (const p of r.plans)
      console.log(
        `${p.indexed ? 'ok  ' : 'FAIL'} ${p.sql.slice(0, 110)}\n       ${p.plan.replace(/\n/g, '\n       ')}`,
      );
    console.log('| case | statements | service p50 / p95 ms | bare p50 / p95 ms |');
    for (const t of r.timings) {
      console.log(
        `| ${t.case} | ${t.statements} | ${t.service.p50} / ${t.service.p95} | ${t.bare.p50} / ${t.bare.p95} |`,
      );
    }
  }
  if (results.some((r) => r.planFailures > 0)) {
    console.log('\nFAIL: a statement is not answered from an index');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

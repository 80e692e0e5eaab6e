'use strict';
/**
 * One table size on one dialect: a fresh database holding `rows` settled refunds of another merchant
 * (written by the database itself, lib/fleet-rows.js), analyzed; the Leshua sandbox and the API each
 * in a process of their own on it; then, from the load process, POST /refunds at c=concurrency after a
 * warm-up, and GET /refunds filtered by status (the rare PROCESSING, the common SUCCEEDED).
 */
const { MikroORM } = require('@mikro-orm/core');
const path = require('node:path');

const { startChild } = require('../throughput/children');
const { migrate } = require('../throughput/databases');
const { insertRefundRows } = require('../lib/fleet-rows');
const { createBenchDatabase } = require('../lib/databases');
const { MERCHANT, LESHUA_KEYS } = require('../lib/api');

const { refundOrmOptions } = require(path.join(__dirname, '..', '..', 'libs/refund-core/dist'));

const KEY = 'rh_bench_scale_0001';
const LISTS = [
  { name: 'GET ?status=PROCESSING', path: '/refunds?status=PROCESSING&limit=50' },
  { name: 'GET ?status=SUCCEEDED', path: '/refunds?status=SUCCEEDED&limit=50' },
];

async function fill(db, dialect, rows) {
  const orm = await MikroORM.init(await refundOrmOptions(db.options));
  try {
    const base = { total: rows, due: 0, waiting: 0, prefix: 'H', gateway: 'history', merchantId: 'm0', amount: 100 };
    return await insertRefundRows(orm, dialect, base);
  } finally {
    await orm.close(true);
  }
}

async function runSize({ dialect, rows, settings, scale, load, check, say, cleanups }) {
  const label = `[scale ${dialect} ${rows}]`;
  const db = await createBenchDatabase(dialect, settings);
  cleanups.add(db.drop);
  const closers = [];
  try {
    await migrate(db, { dialect, synchronous: 'full' });
    const fillSeconds = await fill(db, dialect, rows);
    await db.analyze();
    const sandbox = await startChild('sandbox', path.join(__dirname, '..', 'throughput', 'sandbox-process.js'), {
      merchants: LESHUA_KEYS,
    });
    closers.push(sandbox.close);
    const api = await startChild('api', path.join(__dirname, '..', 'throughput', 'api-process.js'), {
      database: db.options,
      synchronous: 'full',
      merchants: LESHUA_KEYS,
      key: KEY,
      sandboxUrl: sandbox.ready.url,
      gatewayTimeoutMs: settings.gatewayTimeoutMs,
    });
    closers.push(api.close);
    say(`${label} ${rows} rows written in ${fillSeconds.toFixed(1)} s; API ${api.ready.url} on ${db.describe}`);
    const base = { key: KEY, url: api.ready.url, merchantId: MERCHANT, amount: 100, total: 1000 };
    const post = async (tag, count) => {
      await sandbox.call('seed', { tag, count: count + 2 * scale.concurrency, total: base.total });
      const job = { ...base, kind: 'refunds', tag, count, concurrency: scale.concurrency };
      return load.call('run', { ...job, seconds: scale.seconds, timeoutMs: settings.gatewayTimeoutMs });
    };
    const list = (pathAndQuery, count) =>
      load.call('run', {
        ...base,
        kind: 'list',
        path: pathAndQuery,
        tag: 'LL',
        count,
        concurrency: scale.listConcurrency,
        seconds: scale.seconds,
        timeoutMs: settings.gatewayTimeoutMs,
      });
    if (scale.warmup > 0) await post('SW', scale.warmup);
    const created = await post('SM', scale.requests);
    check(
      `${dialect} ${rows} rows: every POST /refunds answered 201 PROCESSING`,
      created.sent === created.requested && (created.http['201'] ?? 0) === created.sent && created.errors === 0,
      `sent ${created.sent}/${created.requested}, http ${JSON.stringify(created.http)}, errors ${created.errors}`,
    );
    const lists = [];
    for (const { name, path: pathAndQuery } of LISTS) {
      await list(pathAndQuery, Math.max(1, Math.round(scale.listRequests / 10)));
      const listed = await list(pathAndQuery, scale.listRequests);
      check(
        `${dialect} ${rows} rows: every ${name} answered 200 with a page`,
        listed.sent === listed.requested && (listed.status.LISTED ?? 0) === listed.sent && listed.errors === 0,
        `sent ${listed.sent}/${listed.requested}, http ${JSON.stringify(listed.http)}, errors ${listed.errors}`,
      );
      lists.push({ name, path: pathAndQuery, ...figures(listed) });
    }
    return { dialect, rows, fillSeconds, post: figures(created), lists };
  } finally {
    for (const close of closers.reverse()) await close().catch((error) => say(`${label} closing: ${error.message}`));
    await db.drop().catch((error) => say(`${label} dropping: ${error.message}`));
    cleanups.delete(db.drop);
  }
}

function figures(run) {
  return { sent: run.sent, perSecond: run.perSecond, latencyMs: run.latencyMs, capped: run.capped };
}

module.exports = { runSize };

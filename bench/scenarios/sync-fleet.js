'use strict';
/**
 * Sync rate of a scheduler fleet: `BENCH_FLEET_REFUNDS` due refunds (PROCESSING, due a minute ago)
 * synced to SUCCEEDED by 1 or more scheduler instances, each a process of its own running sync
 * rounds back to back (lib/fleet-scheduler.js), against the fleet gateway in a process of its own
 * (lib/fleet-gateway.js). With each count of `BENCH_FLEET_INSTANCES` on each dialect: on SQLite the
 * instances share one file (WAL, every write transaction `BEGIN IMMEDIATE`).
 *
 * The time runs from the instances' start to the end of the last round that had work, and a sync is
 * one gateway query the gateway answered. The bare reference: the same gateway, freshly seeded,
 * answering the same number of queries (each refund's queries in the same order) at the fleet's
 * concurrency from a plain HTTP client on a worker thread (lib/load-worker.js), no platform between.
 */
const os = require('node:os');

const { MikroORM } = require('@mikro-orm/core');
const { migrateRefundSchema, refundOrmOptions } = require('@refundhub/core');

const { machineBusyBetween, machineCpuTicks } = require('../lib/cpu');
const { createBenchDatabase } = require('../lib/databases');
const { postgresCpuMs } = require('../lib/fleet-machine');
const { startFleetGateway, startScheduler } = require('../lib/fleet-processes');
const { dueRefundNos, insertRefundRows } = require('../lib/fleet-rows');
const { runBatch } = require('../lib/load');

const MERCHANT = 'm1';
const AMOUNT = 100;
const POLL_MS = 100;
/** The scheduler's interval after a round that found nothing due. */
const IDLE_MS = 25;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes rows of `shape` through a connection of its own, closed afterwards (one process per SQLite file). */
async function insertDue(database, dialect, shape) {
  const orm = await MikroORM.init(await refundOrmOptions(database));
  try {
    await insertRefundRows(orm, dialect, {
      ...shape,
      waiting: 0,
      gateway: 'fleet',
      merchantId: MERCHANT,
      amount: AMOUNT,
    });
  } finally {
    await orm.close(true);
  }
  return dueRefundNos(shape);
}

/** Starts every scheduler, waits until the gateway has settled `count` refunds (or the deadline), stops them. */
async function syncAll(schedulers, gateway, count, deadline) {
  await Promise.all(schedulers.map((s) => s.start()));
  let seen = await gateway.stats();
  while (seen.settled < count && Date.now() < deadline) {
    await sleep(POLL_MS);
    seen = await gateway.stats();
  }
  return Promise.all(schedulers.map((s) => s.stop()));
}

/** Syncs every due refund with `instances` schedulers; resolves the row of the table. */
async function fleetRun({ dialect, instances, gateway, settings, fleet, check, cleanups }) {
  const label = `${dialect}, ${instances} instance${instances > 1 ? 's' : ''}`;
  const expectQueries = fleet.processingAnswers + 1;
  const seed = (refundNos) =>
    gateway.seed({
      merchantId: MERCHANT,
      amount: AMOUNT,
      refundNos,
      processingAnswers: fleet.processingAnswers,
      holdMs: fleet.gatewayHoldMs,
    });
  const db = await createBenchDatabase(dialect, settings);
  cleanups.add(db.drop);
  const schedulers = [];
  try {
    const orm = await MikroORM.init(await refundOrmOptions(db.options));
    await migrateRefundSchema(orm);
    await orm.close(true);
    for (let i = 0; i < instances; i += 1) {
      schedulers.push(
        startScheduler({
          name: String.fromCharCode(65 + i),
          database: db.options,
          gatewayUrl: gateway.url,
          merchantId: MERCHANT,
          sync: {
            backoffMs: [50, 100],
            jitter: 0,
            batchSize: fleet.batchSize,
            concurrencyPerGateway: fleet.concurrency,
          },
          idleMs: IDLE_MS,
        }),
      );
    }
    await Promise.all(schedulers.map((s) => s.booted()));

    // Warm-up, unmeasured: refunds of their own, synced the same way by the same processes.
    if (fleet.warmup > 0) {
      const warm = fleet.warmup * instances;
      await seed(await insertDue(db.options, dialect, { total: warm, due: warm, prefix: 'W' }));
      await syncAll(schedulers, gateway, warm, Date.now() + fleet.seconds * 1000);
    }
    // The measured refunds, written while every scheduler is stopped.
    const refundNos = await insertDue(db.options, dialect, { total: fleet.refunds, due: fleet.refunds, prefix: 'S' });
    await seed(refundNos);

    // The database's own CPU: its backends on PostgreSQL; on SQLite it runs inside the scheduler.
    const database = dialect === 'postgresql' ? new URL(db.options.url).pathname.slice(1) : null;
    const postgresBefore = database && postgresCpuMs(database);
    const before = await gateway.stats();
    const beforeAt = Date.now();
    const ticks = machineCpuTicks();
    const loadAverageAtStart = Number(os.loadavg()[0].toFixed(2));
    const started = Date.now();
    const tallies = await syncAll(schedulers, gateway, fleet.refunds, started + fleet.seconds * 1000);
    const busy = machineBusyBetween(ticks, machineCpuTicks());
    const after = await gateway.stats(expectQueries);
    const afterAt = Date.now();
    const postgresMs = database && postgresBefore !== null ? postgresCpuMs(database) - postgresBefore : null;
    const ended = Math.max(started, ...tallies.map((t) => t.lastWorkEndedAt ?? started));
    await Promise.all(schedulers.splice(0).map((s) => s.close()));

    const verify = await MikroORM.init(await refundOrmOptions(db.options));
    const [{ n: succeeded }] = await verify.em
      .getConnection()
      .execute(
        `select count(*) as n from refund where refund_no like 'S%' and status = 'SUCCEEDED' and sync_count = ${expectQueries}`,
      );
    await verify.close(true);
    const errors = tallies.reduce((sum, t) => sum + t.errors, 0);
    check(
      `sync-fleet ${label}: all ${fleet.refunds} SUCCEEDED, each queried ${expectQueries} time(s), never two at once`,
      Number(succeeded) === fleet.refunds &&
        after.queriesPerRefund[expectQueries] === fleet.refunds &&
        after.maxInFlightPerRefund <= 1 &&
        errors === 0,
      `SUCCEEDED ${succeeded}, queries per refund ${JSON.stringify(after.queriesPerRefund)}, most in flight for one refund ${after.maxInFlightPerRefund}, errors ${errors}`,
    );
    const wallMs = ended - started;
    const instanceCpuCores = tallies.map((t) => t.cpuMs / t.wallMs);
    const postgresCpuCores = postgresMs === null ? null : postgresMs / (afterAt - beforeAt);
    const gatewayCpuCores = (after.cpuMicros - before.cpuMicros) / 1000 / (afterAt - beforeAt);
    // What else kept the machine's cores busy meanwhile: other work on the box skews every number here.
    const ours = instanceCpuCores.reduce((a, b) => a + b, 0) + (postgresCpuCores ?? 0) + gatewayCpuCores;
    const otherCpuCores = busy === null ? null : Math.max(0, busy * os.availableParallelism() - ours);
    return {
      dialect,
      instances,
      refunds: fleet.refunds,
      syncs: after.queries,
      seconds: wallMs / 1000,
      perSecond: after.queries / (wallMs / 1000),
      settled: after.settled,
      byInstance: after.byCaller,
      instanceLoopUtilization: tallies.map((t) => t.loopUtilization),
      instanceCpuCores,
      instanceCpuMsPerSync: tallies.reduce((sum, t) => sum + t.cpuMs, 0) / after.queries,
      postgresCpuMsPerSync: postgresMs === null ? null : postgresMs / after.queries,
      postgresCpuCores,
      gatewayCpuCores,
      machineCpuBusy: busy,
      otherCpuCores,
      loadAverageAtStart,
      maxInFlight: after.maxInFlight,
      maxInFlightPerRefund: after.maxInFlightPerRefund,
      rounds: tallies.reduce((sum, t) => sum + t.rounds, 0),
      errors,
      reference: await bareReference({ gateway, seed, refundNos, fleet, concurrency: instances * fleet.concurrency }),
    };
  } finally {
    await Promise.allSettled(schedulers.map((s) => s.close()));
    await db.drop();
    cleanups.delete(db.drop);
  }
}

/** The gateway alone: the same queries at the same concurrency from a plain HTTP client. */
async function bareReference({ gateway, seed, refundNos, fleet, concurrency }) {
  await seed(refundNos);
  const requests = [];
  for (let pass = 0; pass <= fleet.processingAnswers; pass += 1) {
    for (const refundNo of refundNos) {
      requests.push({ method: 'POST', path: '/query', body: { merchantId: MERCHANT, refundNo, amount: AMOUNT } });
    }
  }
  const result = await runBatch({ url: gateway.url, key: 'none' }, requests, {
    concurrency,
    deadline: Date.now() + fleet.seconds * 1000,
  });
  const seen = await gateway.stats();
  return {
    queries: result.sent,
    concurrency,
    perSecond: result.sent / (result.elapsedMs / 1000),
    settled: seen.settled,
    clientLoopUtilization: result.clientLoopUtilization,
    errors: result.errors,
  };
}

/** Every configuration asked for, one row each. */
async function fleetSyncRates({ settings, fleet, check, cleanups, say }) {
  const gateway = await startFleetGateway();
  try {
    const rows = [];
    for (const dialect of settings.dialects) {
      for (const instances of fleet.instances) {
        const row = await fleetRun({ dialect, instances, gateway, settings, fleet, check, cleanups });
        say(
          `[fleet] sync ${dialect}, ${instances} instance(s): ${row.syncs} syncs in ${row.seconds.toFixed(1)} s = ${row.perSecond.toFixed(1)}/s (gateway alone: ${row.reference.perSecond.toFixed(0)}/s)`,
        );
        rows.push(row);
      }
    }
    return rows;
  } finally {
    await gateway.close();
  }
}

module.exports = { fleetSyncRates };

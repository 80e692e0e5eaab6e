'use strict';
/**
 * Sync rate: how many refunds per second the status-sync rounds bring to SUCCEEDED. Every
 * unfinished refund left by the earlier scenarios is made due now (the host's clock cannot be
 * swapped, so `next_sync_at` is moved into the past), then rounds run back to back, exactly as
 * the scheduler runs them (batch size and per-gateway concurrency from the config), until none
 * is due. The sandbox settles a refund on its first query and then notifies the API, so each
 * refund also costs one inbound notification, drained inside the measured time.
 */
const { Refund, RefundSyncService, UNFINISHED_STATUSES } = require('@refundhub/core');
const { performance } = require('node:perf_hooks');

const { measured } = require('../lib/load');
const { summarize, tally } = require('../lib/stats');

async function syncRate({ api, settings, check }) {
  const unfinished = { status: { $in: [...UNFINISHED_STATUSES] } };
  const em = api.orm.em.fork();
  const pending = await em.count(Refund, unfinished);
  await em.nativeUpdate(Refund, unfinished, { nextSyncAt: new Date(Date.now() - 60_000) });
  const sync = api.app.get(RefundSyncService);

  // Enough rounds for every refund twice over; the deadline is the other bound.
  const maxRounds = Math.ceil(pending / settings.syncBatch) * 2 + 5;
  const deadline = Date.now() + settings.scenarioSeconds * 1000;
  const rounds = [];
  let finished = 0;
  let errors = 0;
  let roundsMs = 0;
  // The drain of the sandbox's notifications is inside the measured window: each one is an
  // HTTP request the API must verify and answer, so it is part of what a settled refund costs.
  // (On SQLite they queue behind the rounds on the one connection and mostly run after them.)
  const run = await measured(async () => {
    const roundsStarted = performance.now();
    while (rounds.length < maxRounds && Date.now() < deadline) {
      const started = performance.now();
      const round = await sync.runOnce();
      if (round.due === 0) break;
      rounds.push(performance.now() - started);
      finished += round.finished;
      errors += round.errors;
    }
    roundsMs = performance.now() - roundsStarted;
    await Promise.race([api.sandbox.settled(), new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
  });
  const notificationDrainMs = run.wallMs - roundsMs;

  const left = await api.orm.em.fork().count(Refund, unfinished);
  const succeeded = await api.orm.em.fork().count(Refund, { status: 'SUCCEEDED' });
  check(
    'sync: every unfinished refund reached SUCCEEDED',
    finished === pending && left === 0 && errors === 0,
    `pending ${pending}, finished ${finished}, errors ${errors}, still unfinished ${left}, SUCCEEDED rows ${succeeded}`,
  );
  // Only this scenario makes refunds final, so each of them was notified once. An unacknowledged
  // notification costs no money (the gateway redelivers, the refund is final already) but says
  // the API answered slower than the sandbox's 5 s delivery timeout: a warning, not a failure.
  const notifications = api.sandbox.notifications();
  const acknowledged = notifications.filter((n) => n.acknowledged).length;
  // Why the others were not: a timeout of the sandbox's delivery, or what the API answered.
  const unacknowledged = tally(
    notifications
      .filter((n) => !n.acknowledged)
      .map((n) =>
        'error' in n.response ? n.response.error : `HTTP ${n.response.status} ${String(n.response.body).slice(0, 40)}`,
      ),
  );
  check(
    'sync: every settled refund was notified and the API acknowledged it',
    notifications.length === finished && acknowledged === finished,
    `finished ${finished}, notifications ${notifications.length}, acknowledged ${acknowledged}, not: ${JSON.stringify(unacknowledged)}`,
    'warn',
  );
  return {
    scenario: 'sync',
    label: `sync to SUCCEEDED, batch ${settings.syncBatch}, ${settings.syncConcurrency}/gw`,
    requested: pending,
    sent: pending,
    ok: finished,
    errors,
    rounds: rounds.length,
    perSecond: finished / (run.wallMs / 1000),
    roundsOnlyPerSecond: finished / (roundsMs / 1000),
    elapsedMs: run.wallMs,
    roundsMs,
    // One sample per round: the time one scheduler tick takes with a full batch.
    latencyMs: summarize(rounds),
    notificationDrainMs,
    notifications: notifications.length,
    notificationsAcknowledged: acknowledged,
    notificationsUnacknowledged: unacknowledged,
    apiLoopUtilization: run.apiLoopUtilization,
    processCpuCores: run.processCpuCores,
    machineCpuBusy: run.machineCpuBusy,
  };
}

module.exports = { syncRate };

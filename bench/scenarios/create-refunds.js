'use strict';
/**
 * POST /refunds throughput and latency: each refund on an order of its own (seeded in the
 * sandbox as paid), so what is measured is the platform's per-refund cost (validate, reserve in
 * a transaction, sign, call the gateway over HTTP, record the answer), not one hot row.
 * The hot-row case is scenarios/over-refund-guard.js.
 */
const { refundBody, MERCHANT } = require('../lib/api');
const { measured, runBatch } = require('../lib/load');
const { loadFigures, tally } = require('../lib/stats');

function seedRefunds(api, prefix, count, settings) {
  const requests = [];
  for (let i = 0; i < count; i += 1) {
    const orderNo = `${prefix}O${String(i).padStart(7, '0')}`;
    api.sandbox.seedOrder({ merchantId: MERCHANT, thirdOrderId: orderNo, totalAmount: settings.orderTotal });
    requests.push({
      method: 'POST',
      path: '/refunds',
      body: refundBody(`${prefix}R${String(i).padStart(7, '0')}`, orderNo, settings.refundAmount, settings.orderTotal),
    });
  }
  return requests;
}

async function createRefunds({ api, db, settings, check }) {
  // Warm-up on orders of their own: JIT, connection pools and prepared paths, not measured.
  if (settings.warmup > 0) {
    const warm = seedRefunds(api, 'W', settings.warmup, settings);
    await runBatch(api, warm, {
      concurrency: settings.concurrency,
      deadline: Date.now() + settings.scenarioSeconds * 1000,
    });
  }
  // The measured run sees the plans of a database that has statistics (lib/databases.js).
  await db.analyze();
  const requests = seedRefunds(api, 'B', settings.refunds, settings);
  const deadline = Date.now() + settings.scenarioSeconds * 1000;
  const run = await measured(() => runBatch(api, requests, { concurrency: settings.concurrency, deadline }));
  const { result } = run;
  const http = tally(result.http);
  const status = tally(result.status);
  const created = http['201'] ?? 0;
  // The sandbox accepts every one of these; anything but 201 PROCESSING is a fault worth seeing.
  check(
    'POST /refunds: every sent refund is 201 PROCESSING',
    created === result.sent && (status.PROCESSING ?? 0) === result.sent,
    `sent ${result.sent}, http ${JSON.stringify(http)}, status ${JSON.stringify(status)}${result.errors.length ? `, errors ${result.errors.join('; ')}` : ''}`,
  );
  return {
    scenario: 'create',
    label: `POST /refunds, c=${settings.concurrency}, own order each`,
    requested: settings.refunds,
    notStarted: result.notStarted,
    ok: created,
    http,
    status,
    ...loadFigures(result, run),
  };
}

module.exports = { createRefunds };

'use strict';
/**
 * The over-refund guard under contention: N refunds against ONE order, all in flight at once.
 * Exactly floor(total / amount) may be accepted, whatever the interleaving; the rest must be
 * 422 REFUND_EXCEEDS_BALANCE. Both the database's reservation and the sandbox's balance are
 * checked, because either one being off means money refunded twice.
 */
const { RefundOrder } = require('@refundhub/core');

const { refundBody, MERCHANT } = require('../lib/api');
const { measured, runBatch } = require('../lib/load');
const { loadFigures, tally } = require('../lib/stats');

async function overRefundGuard({ api, settings, check }) {
  const { guardRequests: n, guardAmount: amount, guardTotal: total } = settings;
  const orderNo = 'GUARDORDER0001';
  api.sandbox.seedOrder({ merchantId: MERCHANT, thirdOrderId: orderNo, totalAmount: total });
  const requests = Array.from({ length: n }, (_, i) => ({
    method: 'POST',
    path: '/refunds',
    body: refundBody(`G${String(i).padStart(6, '0')}`, orderNo, amount, total),
  }));
  const run = await measured(() =>
    // Concurrency = n: every request is on the wire before the first answer comes back.
    runBatch(api, requests, { concurrency: n, deadline: Date.now() + settings.scenarioSeconds * 1000 }),
  );
  const { result } = run;
  const http = tally(result.http);
  const status = tally(result.status);
  const expected = Math.min(n, Math.floor(total / amount));
  const accepted = http['201'] ?? 0;
  const refused = http['422'] ?? 0;
  const order = await api.orm.em.fork().findOne(RefundOrder, { merchantId: MERCHANT, merchantOrderNo: orderNo });
  const reserved = order ? Number(order.reservedAmount) : null;
  const sandboxBalance = api.sandbox.order(MERCHANT, orderNo)?.balance;

  const ok =
    result.sent === n &&
    accepted === expected &&
    refused === n - expected &&
    (status.PROCESSING ?? 0) === expected &&
    reserved === expected * amount &&
    sandboxBalance === total - expected * amount;
  check(
    `guard: ${n} x ${amount} fen against one ${total} fen order accepts exactly ${expected}`,
    ok,
    `sent ${result.sent}, http ${JSON.stringify(http)}, status ${JSON.stringify(status)}, reserved ${reserved}, sandbox balance ${sandboxBalance}` +
      (result.errors.length ? `, errors ${result.errors.join('; ')}` : ''),
  );
  return {
    scenario: 'guard',
    label: `guard: ${n} x ${amount} fen on one ${total} fen order`,
    requested: n,
    ok: accepted,
    expectedAccepted: expected,
    refused,
    reservedAmount: reserved,
    sandboxBalance,
    http,
    status,
    ...loadFigures(result, run),
  };
}

module.exports = { overRefundGuard };

'use strict';
/**
 * The fleet gateway: a simulated refund gateway in a process of its own, shared by the scheduler
 * fleet's acceptance test (test/scheduler-fleet.e2e-spec.ts) and the sync-fleet benchmark. Plain
 * Node (node:http, no project code), so that both can run it: the benchmark needs no TypeScript
 * tooling, and the gateway's counts do not depend on the code they check.
 *
 * Why not a real gateway's sandbox (Leshua's): that sandbox lives inside one host process, learns a
 * refund only from a signed `unified_refund` call (2,000 submissions before the first sync), finds a
 * refund by scanning all of them on every query, and does not record queries in flight. Here refunds
 * are seeded accepted in one call, found by key, and every query is timed in and out.
 *
 * Forked with an IPC channel, it listens on a random port of 127.0.0.1 and sends
 * `{ type: 'listening', url, pid }`; it exits when the parent goes. HTTP, JSON bodies:
 *
 * - `POST /query {merchantId, refundNo, amount}`: `{result: 'FOUND', status, refundNo, amount,
 *   gatewayRefundNo}`, status `PROCESSING` for the refund's first `processingAnswers` queries and
 *   `SUCCEEDED` from then on; `{result: 'NOT_FOUND'}` for a refund it was not seeded with. An
 *   `x-fleet-caller` header names the asking process, for the split of the work. Each answer is held
 *   `holdMs` after the request has been read (0: answered at once); a query is in flight from then
 *   until its answer is written, which is what `maxInFlightPerRefund` counts.
 * - `POST /control/seed {merchantId, amount, refundNos, processingAnswers, holdMs}`: forgets
 *   everything and holds these refunds, accepted and unfinished.
 * - `GET /control/stats`: the counts below ({@link stats}).
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');

/** How many refunds a list in the stats names at most (the counts cover all of them). */
const LISTED = 20;

let state = fresh({ merchantId: '', amount: 0, refundNos: [], processingAnswers: 0, holdMs: 0 });

function fresh(seed) {
  const refunds = new Map();
  seed.refundNos.forEach((refundNo, i) =>
    refunds.set(`${seed.merchantId}/${refundNo}`, {
      refundNo,
      amount: seed.amount,
      gatewayRefundNo: `FG${i + 1}`,
      queries: 0,
      inFlight: 0,
      maxInFlight: 0,
    }),
  );
  return {
    processingAnswers: seed.processingAnswers,
    holdMs: seed.holdMs,
    refunds,
    queries: 0,
    notFound: 0,
    settled: 0,
    inFlight: 0,
    maxInFlight: 0,
    byCaller: {},
    firstQueryAt: null,
    lastAnswerAt: null,
  };
}

/**
 * What the gateway saw since it was seeded. `queriesPerRefund` is a histogram over every seeded
 * refund (`{ '3': 2000 }`: each was queried 3 times); `unexpected` names refunds queried another
 * number of times than `expectQueries` (when given); `overlapping` names refunds that had two queries
 * in flight at once. `cpuMicros` and `eventLoop` are this process's totals, for the benchmark.
 */
function stats(expectQueries) {
  const queriesPerRefund = {};
  const overlapping = [];
  const unexpected = [];
  let maxInFlightPerRefund = 0;
  for (const refund of state.refunds.values()) {
    queriesPerRefund[refund.queries] = (queriesPerRefund[refund.queries] ?? 0) + 1;
    maxInFlightPerRefund = Math.max(maxInFlightPerRefund, refund.maxInFlight);
    if (refund.maxInFlight > 1 && overlapping.length < LISTED) overlapping.push(refund.refundNo);
    if (expectQueries !== undefined && refund.queries !== expectQueries && unexpected.length < LISTED)
      unexpected.push({ refundNo: refund.refundNo, queries: refund.queries });
  }
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  return {
    refunds: state.refunds.size,
    queries: state.queries,
    notFound: state.notFound,
    settled: state.settled,
    maxInFlight: state.maxInFlight,
    maxInFlightPerRefund,
    queriesPerRefund,
    overlapping,
    unexpected,
    byCaller: { ...state.byCaller },
    firstQueryAt: state.firstQueryAt,
    lastAnswerAt: state.lastAnswerAt,
    cpuMicros: cpu.user + cpu.system,
    eventLoop: { idle: elu.idle, active: elu.active },
  };
}

function query(body, caller, res) {
  const now = Date.now();
  state.queries += 1;
  state.firstQueryAt ??= now;
  if (caller) state.byCaller[caller] = (state.byCaller[caller] ?? 0) + 1;
  const refund = state.refunds.get(`${body?.merchantId}/${body?.refundNo}`);
  if (!refund) {
    state.notFound += 1;
    return answer(res, 200, { result: 'NOT_FOUND', message: `no refund ${body?.refundNo}` });
  }
  const seeded = state;
  refund.queries += 1;
  refund.inFlight += 1;
  refund.maxInFlight = Math.max(refund.maxInFlight, refund.inFlight);
  seeded.inFlight += 1;
  seeded.maxInFlight = Math.max(seeded.maxInFlight, seeded.inFlight);
  const status = refund.queries > seeded.processingAnswers ? 'SUCCEEDED' : 'PROCESSING';
  if (status === 'SUCCEEDED' && refund.queries === seeded.processingAnswers + 1) seeded.settled += 1;
  const reply = () => {
    answer(res, 200, {
      result: 'FOUND',
      status,
      refundNo: refund.refundNo,
      amount: refund.amount,
      gatewayRefundNo: refund.gatewayRefundNo,
    });
    // Written: this query is no longer in flight.
    refund.inFlight -= 1;
    seeded.inFlight -= 1;
    seeded.lastAnswerAt = Date.now();
  };
  if (seeded.holdMs > 0) setTimeout(reply, seeded.holdMs);
  else reply();
}

function seed(body, res) {
  const valid =
    body &&
    typeof body.merchantId === 'string' &&
    Number.isInteger(body.amount) &&
    Array.isArray(body.refundNos) &&
    body.refundNos.every((no) => typeof no === 'string') &&
    Number.isInteger(body.processingAnswers) &&
    body.processingAnswers >= 0 &&
    Number.isInteger(body.holdMs ?? 0);
  if (!valid)
    return answer(res, 400, {
      result: 'BAD_REQUEST',
      message: 'merchantId, amount, refundNos, processingAnswers (and holdMs) are required',
    });
  state = fresh({ ...body, holdMs: body.holdMs ?? 0 });
  return answer(res, 200, { result: 'SEEDED', refunds: state.refunds.size });
}

function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function handle(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body = null;
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
    } catch {
      return answer(res, 400, { result: 'BAD_REQUEST', message: 'the body is not JSON' });
    }
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/query') return query(body, req.headers['x-fleet-caller'], res);
    if (req.method === 'POST' && path === '/control/seed') return seed(body, res);
    if (req.method === 'GET' && path === '/control/stats') {
      const expect = new URL(req.url, 'http://fleet').searchParams.get('expectQueries');
      return answer(res, 200, stats(expect === null ? undefined : Number(expect)));
    }
    return answer(res, 404, { result: 'BAD_REQUEST', message: `no route ${req.method} ${path}` });
  });
}

if (require.main === module) {
  const server = http.createServer({ keepAlive: true }, handle);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    const listening = { type: 'listening', url: `http://127.0.0.1:${port}`, pid: process.pid };
    if (process.send) process.send(listening);
    else process.stdout.write(`${JSON.stringify(listening)}\n`);
  });
  // The parent is gone: nobody will ask anything again.
  process.on('disconnect', () => process.exit(0));
}

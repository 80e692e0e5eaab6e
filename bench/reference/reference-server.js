'use strict';
/**
 * The reference implementation, in a process of its own: `POST /refunds` on node:http with no
 * framework and no ORM, doing the product's work on the product's tables (statements.js): transaction
 * 1 reserves the refund, the signed Leshua call goes to the same sandbox process, transaction 2
 * records the answer. The throughput stage measures refundhub against it, run for run.
 *
 * Config (../throughput/children.js): { dialect, sqlite: { path, synchronous } | postgres: { url,
 * poolMax }, sandboxUrl, merchants, key, gatewayTimeoutMs }. Ready: { url }.
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const { serveParent } = require('../throughput/children');
const { leshuaCaller } = require('./leshua-call');
const { readRefundCommand } = require('./refund-command');
const { refundView } = require('./refund-view');

/** The API takes JSON bodies of a few KiB; so does this. */
const BODY_LIMIT = 64 * 1024;

function openStore(config) {
  if (config.dialect === 'sqlite') return require('./reference-sqlite').openSqliteStore(config.sqlite);
  return require('./reference-postgres').openPostgresStore(config.postgres);
}

function answer(response, status, body) {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}

/** The body as text, or null past the limit (the connection is then answered 413). */
function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > BODY_LIMIT ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** POST /refunds: reserve, submit, record, answer; the same outcomes (and status codes) as the API's. */
async function createRefund({ store, submitRefund, key }, body) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [400, { code: 'VALIDATION_FAILED', problems: [{ field: 'body', message: 'not JSON' }] }];
  }
  const { cmd, problems } = readRefundCommand(parsed, 'leshua');
  if (!cmd) return [400, { code: 'VALIDATION_FAILED', problems: problems.map((field) => ({ field })) }];
  const reservation = await store.reserve(cmd, key.name);
  if (reservation.kind === 'replay') return [200, refundView(reservation.row)];
  if (reservation.kind === 'refused')
    return [reservation.http, { code: reservation.code, message: reservation.message }];
  const at = new Date();
  const started = performance.now();
  const outcome = await submitRefund({
    ...cmd,
    merchantOrderNo: cmd.order.merchantOrderNo,
    gatewayOrderNo: cmd.order.gatewayOrderNo,
  });
  const durationMs = Math.round(performance.now() - started);
  const row = await store.record(reservation, outcome, { at, durationMs });
  return [201, refundView(row)];
}

serveParent(async (config) => {
  const store = openStore(config);
  const key = { name: 'bench', header: `Bearer ${config.key}` };
  let submitRefund;
  const server = http.createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/refunds') return answer(response, 404, { code: 'NOT_FOUND' });
    if (request.headers.authorization !== key.header) return answer(response, 401, { code: 'INVALID_API_KEY' });
    readBody(request)
      .then((body) =>
        body === null ? [413, { code: 'JSON_BODY_TOO_LARGE' }] : createRefund({ store, submitRefund, key }, body),
      )
      .then(([status, json]) => answer(response, status, json))
      .catch((error) => answer(response, 500, { code: 'INTERNAL', message: String(error.message || error) }));
  });
  // Keep-alive as long as the client wants it, as the API's (Fastify's) server does.
  server.keepAliveTimeout = 72_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  submitRefund = leshuaCaller({
    baseUrl: config.sandboxUrl,
    merchants: config.merchants,
    notifyUrl: `${url}/notify/leshua`,
    timeoutMs: config.gatewayTimeoutMs,
  });
  return {
    ready: { url },
    onClose: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
});

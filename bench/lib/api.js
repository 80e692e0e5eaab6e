'use strict';
/**
 * Starts the real API app from the compiled code, listening on 127.0.0.1 over real HTTP, with
 * the built-in Leshua sandbox (an HTTP server in the same process) as the gateway: the same
 * wiring the e2e tests use (test/support/api-harness.ts), minus Jest.
 */
const { createServer } = require('node:net');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
// Compiled output only: `npm run bench` builds first, and the bench must not need ts tooling.
const { createApiApp, listenApi } = require(path.join(root, 'apps/api/dist/bootstrap'));
const { GatewaySandboxes, sha256Hex, validateOperatorConfig } = require(path.join(root, 'libs/host/dist'));
const { LeshuaSandbox } = require(path.join(root, 'libs/gateways/leshua/dist/sandbox'));
const { MikroORM } = require('@mikro-orm/core');

const MERCHANT = '0000000018';
const BENCH_KEY = 'rh_bench_all_0001';
const LESHUA_KEYS = {
  [MERCHANT]: { tradeKey: 'BENCHTRADEKEY0123456789ABCDEF012', notifyKey: 'BENCHNOTIFYKEY0123456789ABCDEF01' },
};

/** A port that was free a moment ago: the API must know its public URL (for notify URLs) before it listens. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param database the operator config's `database` section (see lib/databases.js)
 * @returns { url, key, app, sandbox, orm, close() }
 */
async function startApi(database, settings, label) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const source = `bench (${label})`;
  const config = validateOperatorConfig(
    {
      database,
      api: {
        host: '127.0.0.1',
        port,
        publicUrl: url,
        keys: [{ name: 'bench', sha256: sha256Hex(BENCH_KEY), merchants: ['*'] }],
        // The load is one key far over any per-key budget: the limiter would measure itself, not the API.
        rateLimit: { enabled: false },
      },
      // The interval stays off: the sync scenario runs rounds itself, so it can count and time them.
      scheduler: { enabled: false, batchSize: settings.syncBatch, concurrencyPerGateway: settings.syncConcurrency },
      gateways: { leshua: { baseUrl: 'sandbox', timeoutMs: settings.gatewayTimeoutMs, merchants: LESHUA_KEYS } },
    },
    { source, env: {} },
  );
  const loaded = { config, source, demo: false };
  const app = await createApiApp(loaded, { logger: false });
  await listenApi(app, loaded);
  const sandbox = app.get(GatewaySandboxes).simulator('leshua', LeshuaSandbox);
  if (!sandbox) {
    await app.close();
    throw new Error('the Leshua sandbox did not start');
  }
  return {
    url,
    key: BENCH_KEY,
    app,
    sandbox,
    orm: app.get(MikroORM),
    close: async () => {
      sandbox.releaseHeld();
      await app.close();
    },
  };
}

/** A POST /refunds body for `amount` fen of an order the sandbox knows. */
function refundBody(refundNo, merchantOrderNo, amount, totalAmount) {
  return {
    gateway: 'leshua',
    merchantId: MERCHANT,
    refundNo,
    amount,
    order: { merchantOrderNo, totalAmount },
    reason: 'bench',
  };
}

module.exports = { startApi, refundBody, freePort, MERCHANT, LESHUA_KEYS };

'use strict';
/**
 * The API in a process of its own: the real app from apps/api/dist on the database the parent made
 * for it, with Leshua pointed at the sandbox process (a real gateway URL, not `baseUrl: sandbox`),
 * so its event loop carries only the platform's own work. No scheduler: nothing runs but requests.
 *
 * Config (children.js): { database, merchants, key, gatewayTimeoutMs }. Ready: { url }.
 * Calls: memory {} gives this process's peak RSS as the process itself counts it.
 */
const path = require('node:path');

const { serveParent } = require('./children');
const { freePort } = require('../lib/api');

const root = path.join(__dirname, '..', '..');
const { createApiApp, listenApi } = require(path.join(root, 'apps/api/dist/bootstrap'));
const { sha256Hex, validateOperatorConfig } = require(path.join(root, 'libs/host/dist'));

/** The operator config's `database` section for what lib/databases.js made, with the run's synchronous. */
function databaseSection(database, synchronous) {
  if (database.driver === 'sqlite') return { driver: 'sqlite', path: database.path, sqlite: { synchronous } };
  return { driver: 'postgresql', url: database.url, ...(database.pool ? { pool: database.pool } : {}) };
}

serveParent(async ({ database, synchronous, merchants, key, sandboxUrl, gatewayTimeoutMs }) => {
  // The API must know its public URL (the notify_url it sends) before it listens: a port free a moment ago.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const source = 'bench (throughput)';
  const config = validateOperatorConfig(
    {
      database: databaseSection(database, synchronous),
      api: {
        host: '127.0.0.1',
        port,
        publicUrl: url,
        keys: [{ name: 'bench', sha256: sha256Hex(key), merchants: ['*'] }],
        // One key far over any per-key budget: with the limiter on, the run would measure its 429s.
        rateLimit: { enabled: false },
      },
      scheduler: { enabled: false },
      gateways: { leshua: { baseUrl: sandboxUrl, timeoutMs: gatewayTimeoutMs, merchants } },
    },
    { source, env: {} },
  );
  const loaded = { config, source, demo: false };
  const app = await createApiApp(loaded, { logger: false });
  await listenApi(app, loaded);
  return {
    ready: { url },
    handlers: { memory: () => ({ maxRssMiB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)) }) },
    onClose: () => app.close(),
  };
});

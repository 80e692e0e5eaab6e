'use strict';
/**
 * The API of the notify-flood scenario, in a process of its own (forked by scenarios/notify-flood.js):
 * the real app from apps/api/dist on a SQLite file of its own, with the three gateways that notify
 * (Leshua, UMF, Baofoo) on their built-in simulators. Its event loop is what a flood of hostile
 * notifications would stall, so nothing else runs here: the probe and the load generator are other
 * processes.
 *
 * IPC: sends { ready: { url, limits } } once it listens; answers { measure: 'start' } with nothing and
 * { measure: 'stop' } with { measured: { loopUtilization, cpuCores, seconds } } for the time between
 * them; { close: true } closes the app, drops the database and exits.
 */
const { generateKeyPairSync } = require('node:crypto');
const path = require('node:path');
const { monitorEventLoopDelay, performance, PerformanceObserver } = require('node:perf_hooks');

const { freePort, LESHUA_KEYS } = require('./api');
const { createBenchDatabase } = require('./databases');
const { readSettings } = require('./settings');

const root = path.join(__dirname, '..', '..');
const { createApiApp, listenApi } = require(path.join(root, 'apps/api/dist/bootstrap'));
const { sha256Hex, validateOperatorConfig } = require(path.join(root, 'libs/host/dist'));
const core = require(path.join(root, 'libs/refund-core/dist'));

const GATEWAYS = ['leshua', 'umf', 'baofoo'];
/** What each gateway took before per-gateway limits: the route's 1 MiB, which the flood's bodies are cut to. */
const OLD_LIMIT = 1024 * 1024;

function privateKeyPem(bits) {
  return generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ type: 'pkcs8', format: 'pem' });
}

/** The largest notification body each gateway takes (the route's old 1 MiB where the build has no such limit). */
function limitsOf(app) {
  const refunds = app.get(core.RefundService);
  return Object.fromEntries(
    GATEWAYS.map((id) => [
      id,
      typeof refunds.notificationBodyLimit === 'function' ? refunds.notificationBodyLimit(id) : OLD_LIMIT,
    ]),
  );
}

async function main() {
  const settings = readSettings();
  const db = await createBenchDatabase('sqlite', settings);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const source = 'bench (notify-flood)';
  const config = validateOperatorConfig(
    {
      database: db.options,
      api: {
        host: '127.0.0.1',
        port,
        publicUrl: url,
        keys: [{ name: 'bench', sha256: sha256Hex('rh_bench_notify_0001'), merchants: ['*'] }],
      },
      scheduler: { enabled: false },
      gateways: {
        leshua: { baseUrl: 'sandbox', merchants: LESHUA_KEYS },
        umf: { baseUrl: 'sandbox', merchants: { 30000101: { proxyId: '0025', privateKey: privateKeyPem(1024) } } },
        baofoo: { baseUrl: 'sandbox', merchants: { 100000: { terId: '200000', privateKey: privateKeyPem(2048) } } },
      },
    },
    { source, env: {} },
  );
  const loaded = { config, source, demo: false };
  const app = await createApiApp(loaded, { logger: false });
  await listenApi(app, loaded);

  // Garbage-collection pauses of this process, to tell its own stalls from the machine's.
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });

  // How late the event loop ran its timers: a stall shows as a long delay, a busy loop as many short ones.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  let start = null;
  process.on('message', async (message) => {
    if (message.measure === 'start') {
      start = { elu: performance.eventLoopUtilization(), cpu: process.cpuUsage(), at: performance.now() };
      gc = { count: 0, totalMs: 0, maxMs: 0 };
      loopDelay.reset();
    } else if (message.measure === 'stop' && start) {
      const elu = performance.eventLoopUtilization(start.elu);
      const cpu = process.cpuUsage(start.cpu);
      const seconds = (performance.now() - start.at) / 1000;
      process.send({
        measured: {
          loopUtilization: Number(elu.utilization.toFixed(3)),
          cpuCores: Number(((cpu.user + cpu.system) / 1e6 / seconds).toFixed(3)),
          seconds: Number(seconds.toFixed(1)),
          gc: { count: gc.count, totalMs: Number(gc.totalMs.toFixed(1)), maxMs: Number(gc.maxMs.toFixed(1)) },
          loopDelayMs: {
            p99: Number((loopDelay.percentile(99) / 1e6).toFixed(1)),
            max: Number((loopDelay.max / 1e6).toFixed(1)),
          },
        },
      });
    } else if (message.close) {
      await app.close().catch(() => undefined);
      await db.drop().catch(() => undefined);
      process.exit(0);
    }
  });
  process.on('SIGINT', () => {
    db.drop().finally(() => process.exit(130));
  });
  process.send({ ready: { url, limits: limitsOf(app) } });
}

main().catch((error) => {
  process.send?.({ fatal: error.stack || String(error) });
  process.exit(1);
});

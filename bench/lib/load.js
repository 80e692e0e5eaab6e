'use strict';
/**
 * Runs one client job on the load worker (lib/load-worker.js) and measures, on the main thread
 * where the API and the sandbox live, how busy the event loop and the process's CPUs were.
 */
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');

const { machineBusyBetween, machineCpuTicks } = require('./cpu');

const WORKER = path.join(__dirname, 'load-worker.js');

function runOnWorker(job) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: job });
    let answered = false;
    worker.once('message', (result) => {
      answered = true;
      if (result.fatal) reject(new Error(`load worker failed: ${result.fatal}`));
      else resolve(result);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`load worker exited with code ${code} before answering`));
    });
  });
}

/**
 * Wraps any async work with the server-side view of it: main event loop utilization (1.0 =
 * the JavaScript of API + sandbox + SQLite calls never waited) and CPU cores used by the
 * whole process (main thread, load worker, libuv pool), and how busy the machine's cores were.
 */
async function measured(work) {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const ticks = machineCpuTicks();
  const started = performance.now();
  const result = await work();
  const wallMs = performance.now() - started;
  const usage = process.cpuUsage(cpu);
  return {
    result,
    wallMs,
    apiLoopUtilization: performance.eventLoopUtilization(elu).utilization,
    processCpuCores: (usage.user + usage.system) / 1000 / wallMs,
    machineCpuBusy: machineBusyBetween(ticks, machineCpuTicks()),
  };
}

/** Sends `requests` ({ method, path, body }) with `concurrency` in flight. */
function runBatch(api, requests, { concurrency, deadline, timeoutMs = 30_000 }) {
  return runOnWorker({ kind: 'batch', url: api.url, key: api.key, requests, concurrency, deadline, timeoutMs });
}

/** Pages through `path` by cursor, one request at a time. */
function runWalk(api, requestPath, { maxPages, deadline, timeoutMs = 30_000 }) {
  return runOnWorker({ kind: 'walk', url: api.url, key: api.key, path: requestPath, maxPages, deadline, timeoutMs });
}

module.exports = { measured, runBatch, runWalk };

'use strict';
/**
 * notify-flood: does a flood of hostile notifications stall the API? The API runs in a process of its
 * own (lib/notify-api-process.js), the load generator in another (lib/notify-flood-worker.js), and this
 * process probes `GET /health` one request at a time: first with no load at all (the bare reference),
 * then while `oversizedSenders` loops POST oversized bodies and `hostileSenders` loops POST bodies of
 * exactly their gateway's limit, shaped to make a parser work. Same run, same API process, same probe.
 */
const http = require('node:http');
const path = require('node:path');
const { fork } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const { summarize } = require('../lib/stats');
const { machineCpuTicks, machineBusyBetween } = require('../lib/cpu');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves the first message of `child` that has `key`; rejects on a fatal message or an early exit. */
function nextMessage(child, key) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message.fatal) return finish(() => reject(new Error(message.fatal)));
      if (message[key] !== undefined) finish(() => resolve(message[key]));
    };
    const onExit = (code) => finish(() => reject(new Error(`child exited (${code}) before sending ${key}`)));
    const finish = (then) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      then();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * GET /health, one at a time with `gapMs` between them, for `seconds`: each one's latency and status.
 * `agent` keeps one connection for the whole run, as a load balancer's health check does: otherwise a
 * phase's first probe would also time its connect, queued behind the flood's own new connections.
 */
async function probeHealth({ url, seconds, gapMs, agent }) {
  const ms = [];
  const statuses = {};
  const begun = performance.now();
  const until = begun + seconds * 1000;
  const at = [];
  while (performance.now() < until) {
    const started = performance.now();
    const status = await new Promise((resolve) => {
      const req = http.get(`${url}/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
      });
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', (error) => resolve(error.code || error.message));
    });
    ms.push(performance.now() - started);
    at.push(started - begun);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (gapMs) await sleep(gapMs);
  }
  // When the slowest probes were sent, in ms from the phase's start: a start-up cost, or spread through it.
  const slowest = ms
    .map((latency, i) => ({ latency: Number(latency.toFixed(1)), sentAtMs: Math.round(at[i]) }))
    .sort((a, b) => b.latency - a.latency)
    .slice(0, 5);
  return { latencyMs: summarize(ms), statuses, slowest };
}

/** One measured phase: the API's loop and CPU, the machine's, and the probe, over the same seconds. */
async function phase({ api, url, notify, agent }) {
  const cpuStart = machineCpuTicks();
  api.send({ measure: 'start' });
  const health = await probeHealth({ url, seconds: notify.seconds, gapMs: notify.probeGapMs, agent });
  const measured = nextMessage(api, 'measured');
  api.send({ measure: 'stop' });
  return { health, api: await measured, machineCpuBusy: machineBusyBetween(cpuStart, machineCpuTicks()) };
}

async function notifyFlood({ notify, check, cleanups, say }) {
  const api = fork(path.join(__dirname, '..', 'lib', 'notify-api-process.js'), [], { stdio: 'inherit' });
  const stopApi = () => {
    if (api.exitCode === null) api.send({ close: true });
  };
  cleanups.add(stopApi);
  let flood;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const { url, limits } = await nextMessage(api, 'ready');
    say(`[notify] API at ${url}; notification limits ${JSON.stringify(limits)}`);
    // Unmeasured: the probe's and the route's code paths warm up.
    await probeHealth({ url, seconds: 2, gapMs: notify.probeGapMs, agent });
    const bare = await phase({ api, url, notify, agent });
    say(`[notify] bare: /health p50 ${bare.health.latencyMs.p50} ms, p99 ${bare.health.latencyMs.p99} ms`);

    flood = fork(path.join(__dirname, '..', 'lib', 'notify-flood-worker.js'), [], { stdio: 'inherit' });
    cleanups.add(() => flood.kill('SIGKILL'));
    const started = nextMessage(flood, 'started');
    flood.send({ start: { url, limits, settings: notify } });
    const { shapes } = await started;
    // Let every sender get its first requests in before the measured probe starts.
    await sleep(1000);
    const loaded = await phase({ api, url, notify, agent });
    const report = nextMessage(flood, 'flood');
    flood.send({ stop: true });
    const load = await report;
    say(`[notify] flood: /health p50 ${loaded.health.latencyMs.p50} ms, p99 ${loaded.health.latencyMs.p99} ms`);

    const probes = (p) => Object.values(p.health.statuses).reduce((a, b) => a + b, 0);
    check(
      'notify-flood: /health answered 200 to every probe',
      loaded.health.statuses['200'] === probes(loaded),
      JSON.stringify(loaded.health.statuses),
    );
    const fiveHundreds = (outcomes) =>
      Object.entries(outcomes)
        .filter(([status]) => /^5\d\d$/.test(status))
        .reduce((sum, [, count]) => sum + count, 0);
    check(
      'notify-flood: no 5xx to a hostile or oversized body',
      fiveHundreds(load.oversized.outcomes) + fiveHundreds(load.hostile.outcomes) === 0,
      JSON.stringify({ oversized: load.oversized.outcomes, hostile: load.hostile.outcomes }),
    );
    // A stalled route takes seconds; a busy one, queued behind the flood's small requests, tens of ms.
    check(
      'notify-flood: /health p99 under the flood below 250 ms',
      loaded.health.latencyMs.p99 < 250,
      `bare ${bare.health.latencyMs.p99} ms, flood ${loaded.health.latencyMs.p99} ms`,
      'warn',
    );
    return { settings: notify, limits, shapes, bare, flood: { ...loaded, load } };
  } finally {
    agent.destroy();
    flood?.kill('SIGKILL');
    stopApi();
    cleanups.delete(stopApi);
    await new Promise((resolve) => (api.exitCode !== null ? resolve() : api.once('exit', resolve)));
  }
}

module.exports = { notifyFlood };

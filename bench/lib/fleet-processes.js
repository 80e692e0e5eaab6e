'use strict';
/**
 * The sync-fleet benchmark's processes, seen from the process that measures: the fleet gateway
 * (lib/fleet-gateway.js) and scheduler instances (lib/fleet-scheduler.js), each a child process
 * spoken to over IPC. Every child is killed when this process exits, whatever happens.
 */
const path = require('node:path');
const { fork } = require('node:child_process');

const CALL_TIMEOUT_MS = 60_000;
const OUTPUT_LIMIT = 16 * 1024;
const children = new Set();

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A child process whose output tail is kept for error messages. */
function spawn(name, entry, env) {
  // BENCH_PROFILE_DIR: each scheduler instance writes a V8 CPU profile of its run there when it stops.
  const profile = process.env.BENCH_PROFILE_DIR && name.startsWith('scheduler');
  const child = fork(path.join(__dirname, entry), [], {
    env: { ...process.env, ...env },
    execArgv: profile
      ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
      : process.execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  let output = '';
  const keep = (chunk) => (output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // BENCH_CHILD_STDERR=1: the children's warnings and errors (a failed sync says why) go to the run's stderr too.
  if (process.env.BENCH_CHILD_STDERR) child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const failure = (what) => new Error(`${name} ${what}\n--- ${name} output ---\n${output}`);
  /** The first message matching `match`, or an error when the child says `fatal`, ends, or stays silent. */
  const first = (match, what) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(failure(`${what}: no answer within ${CALL_TIMEOUT_MS} ms`)),
        CALL_TIMEOUT_MS,
      );
      const onMessage = (message) => {
        if (!match(message) && message.type !== 'fatal') return;
        clearTimeout(timer);
        child.off('message', onMessage);
        if (message.type === 'fatal') reject(failure(`fatal: ${message.message}`));
        else resolve(message);
      };
      child.on('message', onMessage);
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(failure(`exited (code ${code}, signal ${signal}) before: ${what}`));
      });
    });
  const kill = async () => {
    // A profiling child writes its profile as it exits: let it end on its own first.
    if (profile) await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, first, failure, kill };
}

/** The fleet gateway in a process of its own: `{ url, seed(body), stats(expectQueries?), close() }`. */
async function startFleetGateway() {
  const gateway = spawn('fleet gateway', 'fleet-gateway.js', {});
  const { url } = await gateway.first((m) => m.type === 'listening', 'listen');
  const call = async (method, route, body) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json();
    if (!response.ok) throw gateway.failure(`${method} ${route}: HTTP ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url,
    seed: (body) => call('POST', '/control/seed', body),
    stats: (expectQueries) =>
      call('GET', `/control/stats${expectQueries === undefined ? '' : `?expectQueries=${expectQueries}`}`),
    close: gateway.kill,
  };
}

/** One scheduler instance (lib/fleet-scheduler.js); `config` as that file describes. */
function startScheduler(config) {
  const scheduler = spawn(`scheduler ${config.name}`, 'fleet-scheduler.js', {
    REFUNDHUB_FLEET_SCHEDULER: JSON.stringify(config),
  });
  const ready = scheduler.first((m) => m.type === 'ready', 'boot');
  ready.catch(() => undefined);
  let seq = 0;
  const call = async (type) => {
    await ready;
    const mine = ++seq;
    const answered = scheduler.first((m) => m.seq === mine, type);
    scheduler.child.send({ type, seq: mine });
    const reply = await answered;
    if (reply.type === 'error') throw scheduler.failure(`${type} failed: ${reply.message}`);
    return reply;
  };
  return {
    name: config.name,
    booted: () => ready,
    start: () => call('start'),
    stop: async () => (await call('stop')).tally,
    close: async () => {
      if (scheduler.child.connected) await call('close').catch(() => undefined);
      await scheduler.kill();
    },
  };
}

module.exports = { startFleetGateway, startScheduler };

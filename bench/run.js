'use strict';
/**
 * `npm run bench`: the API over real HTTP against the in-process Leshua sandbox, on SQLite and
 * on PostgreSQL, one fresh database and one fresh process (lib/dialect-process.js) each; then the
 * sync-fleet scenario (scheduler processes against a gateway process, claim time against table size)
 * in a process of its own (lib/fleet-process.js), unless BENCH_FLEET=0 (BENCH_FLEET=only: it alone).
 * Between them, the throughput stage (throughput/): the API, the Leshua sandbox, a reference
 * implementation and the load generator each in a process of their own, unless BENCH_THROUGHPUT=0;
 * with BENCH_SCALE=1 or only, the table-size stage (scale/): the same requests on 10,000 and 1,000,000 rows.
 * Prints a table and writes bench/results/local.json (git-ignored), or latest.json with BENCH_RECORD=1. Exits non-zero when a correctness
 * check fails (the over-refund guard above all): a fast number from a wrong run is worse than
 * no number. See bench/README.md for the knobs.
 */
const os = require('node:os');
const path = require('node:path');
const { fork } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const { readSettings } = require('./lib/settings');
const { readFleetSettings } = require('./lib/fleet-settings');
const { fleetLines } = require('./lib/fleet-report');
const { readNotifySettings } = require('./lib/notify-settings');
const { notifyLines } = require('./lib/notify-report');
const { readThroughputSettings } = require('./throughput/settings');
const { readScaleSettings } = require('./scale/settings');
const { scaleLines } = require('./scale/report');
const { throughputLines } = require('./throughput/report');
const { checkPostgres, redact } = require('./lib/databases');
const { memorySnapshot } = require('./lib/memory');
const { printReport, writeResults } = require('./lib/report');

const say = (line) => process.stdout.write(`${line}\n`);
const children = new Set();
let interrupted = false;

// Ctrl-C reaches the children from the terminal; a signal sent to this pid alone is passed on,
// so that each child still drops its database before it goes.
process.on('SIGINT', () => {
  interrupted = true;
  for (const child of children) child.kill('SIGINT');
});

function machine() {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    // Other work on the box skews every number here; the load at start says whether there was any.
    loadAverageAtStart: os.loadavg().map((v) => Number(v.toFixed(2))),
  };
}

/**
 * Forks `entry` (under lib/) and resolves the one message it sends, or `failed(why)` when it exits
 * without one or outlives `limitMs` (then it is interrupted, and killed 15 s later).
 */
function forkForAnswer(label, entry, { args = [], env = process.env, limitMs, failed }) {
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, 'lib', entry), args, { stdio: 'inherit', env });
    children.add(child);
    let answer = null;
    const timer = setTimeout(() => {
      say(`[${label}] still running after ${limitMs / 1000} s: interrupting it`);
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, limitMs);
    child.on('message', (message) => {
      answer = message.fatal ? failed(message.fatal) : message;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve(answer ?? failed(`child exited (code ${code}, signal ${signal}) without results`));
    });
  });
}

/** The notify-flood scenario (lib/notify-process.js); resolves { notify, checks } whatever happens. */
function runNotifyChild(notify) {
  return forkForAnswer('notify', 'notify-process.js', {
    // Two phases, a warm-up, and the API's start and shutdown.
    limitMs: (2 * notify.seconds + 120) * 1000,
    failed: (why) => ({
      notify: { failed: why },
      checks: [{ dialect: 'notify', name: 'notify-flood run completed', ok: false, detail: why, severity: 'fail' }],
    }),
  });
}

/** The throughput stage (throughput/throughput-process.js) on `dialects`; resolves { throughput, checks } whatever happens. */
function runThroughputChild(dialects, throughput) {
  // Each mode: ten load runs at most, each capped by BENCH_THROUGHPUT_SECONDS, and five processes to start.
  const modes = readThroughputSettings(dialects).modes.length;
  return forkForAnswer('throughput', '../throughput/throughput-process.js', {
    env: { ...process.env, BENCH_DIALECTS: dialects.join(',') },
    limitMs: (modes * (10 * throughput.seconds + 90) + 60) * 1000,
    failed: (why) => ({
      throughput: { failed: why },
      checks: [{ dialect: 'throughput', name: 'throughput run completed', ok: false, detail: why, severity: 'fail' }],
    }),
  });
}

/** The table-size stage (scale/scale-process.js) on `dialects`; resolves { scale, checks } whatever happens. */
function runScaleChild(dialects, scale) {
  // Each size: a table to write (a minute at most), three load runs capped by BENCH_SCALE_SECONDS, two processes.
  const sizes = scale.rows.length * dialects.length;
  return forkForAnswer('scale', '../scale/scale-process.js', {
    env: { ...process.env, BENCH_DIALECTS: dialects.join(',') },
    limitMs: (sizes * (5 * scale.seconds + 180) + 60) * 1000,
    failed: (why) => ({
      scale: { failed: why },
      checks: [{ dialect: 'scale', name: 'table-size run completed', ok: false, detail: why, severity: 'fail' }],
    }),
  });
}

/** Runs one dialect in a child process; resolves { run, checks } whatever happens to it. */
function runChild(dialect, settings) {
  // Every scenario phase is capped by BENCH_SCENARIO_SECONDS; this is the cap over all of them.
  const phases = 5 + settings.listLimits.length;
  return forkForAnswer(dialect, 'dialect-process.js', {
    args: [dialect],
    limitMs: (phases * settings.scenarioSeconds + 120) * 1000,
    failed: (why) => ({
      run: { dialect, failed: why },
      checks: [{ dialect, name: 'dialect run completed', ok: false, detail: why, severity: 'fail' }],
    }),
  });
}

/** The sync-fleet scenario (lib/fleet-process.js) on `dialects`; resolves { fleet, checks } whatever happens. */
function runFleetChild(dialects, fleet) {
  // Each configuration is capped by BENCH_FLEET_SECONDS; the claim tables and the setup take the rest.
  const configurations = fleet.instances.length * dialects.length;
  return forkForAnswer('fleet', 'fleet-process.js', {
    env: { ...process.env, BENCH_DIALECTS: dialects.join(',') },
    limitMs: (configurations * fleet.seconds + 900) * 1000,
    failed: (why) => ({
      fleet: { failed: why },
      checks: [{ dialect: 'fleet', name: 'sync-fleet run completed', ok: false, detail: why, severity: 'fail' }],
    }),
  });
}

async function main() {
  const settings = readSettings();
  const fleet = readFleetSettings();
  const notify = readNotifySettings();
  const throughput = readThroughputSettings(settings.dialects);
  const scale = readScaleSettings(settings.dialects);
  // BENCH_NOTIFY=only, BENCH_FLEET=only, BENCH_THROUGHPUT=only and BENCH_SCALE=only each ask for their scenario alone.
  const alone = [fleet, notify, throughput, scale].find((s) => s.mode === 'only');
  const apiScenarios = !alone;
  const throughputScenario = throughput.mode !== '0' && (!alone || alone === throughput);
  const fleetScenario = fleet.mode !== '0' && (!alone || alone === fleet);
  const notifyScenario = notify.mode !== '0' && (!alone || alone === notify);
  // Off by default: a million rows per dialect take a while to write.
  const scaleScenario = scale.mode !== '0' && (!alone || alone === scale);
  const started = performance.now();
  const results = {
    startedAt: new Date().toISOString(),
    command: 'npm run bench',
    machine: machine(),
    settings: { ...settings, pgUrl: redact(settings.pgUrl) },
    postgres: null,
    runs: [],
    checks: [],
  };
  const m = results.machine;
  say(
    `machine: ${m.cpus} x ${m.cpuModel}, ${m.totalMemGiB} GiB, node ${m.node}, load average ${m.loadAverageAtStart.join(' ')}`,
  );
  const reachable = [];
  for (const dialect of settings.dialects) {
    if (interrupted) break;
    if (dialect === 'postgresql') {
      const pg = await checkPostgres(settings.pgUrl);
      if (!pg.ok) {
        say(`[postgresql] SKIPPED, server not reachable: ${pg.reason}`);
        results.runs.push({ dialect, skipped: `PostgreSQL not reachable (${pg.reason})` });
        continue;
      }
      results.postgres = pg.version;
    }
    reachable.push(dialect);
    if (!apiScenarios) continue;
    const { run, checks } = await runChild(dialect, settings);
    results.runs.push(run);
    results.checks.push(...checks);
  }
  if (throughputScenario && !interrupted && reachable.length) {
    const answer = await runThroughputChild(reachable, throughput);
    results.throughput = answer.throughput;
    results.checks.push(...answer.checks);
  }
  if (scaleScenario && !interrupted && reachable.length) {
    const answer = await runScaleChild(reachable, scale);
    results.scale = answer.scale;
    results.checks.push(...answer.checks);
  }
  if (fleetScenario && !interrupted && reachable.length) {
    const answer = await runFleetChild(reachable, fleet);
    results.fleet = answer.fleet;
    results.checks.push(...answer.checks);
  }
  if (notifyScenario && !interrupted) {
    const answer = await runNotifyChild(notify);
    results.notify = answer.notify;
    results.checks.push(...answer.checks);
  }
  results.orchestratorMemory = memorySnapshot();
  results.durationS = Number(((performance.now() - started) / 1000).toFixed(1));
  results.finishedAt = new Date().toISOString();
  say('');
  printReport(results);
  if (results.throughput?.failed) say(`\nthroughput FAILED: ${results.throughput.failed.split('\n')[0]}`);
  else if (results.throughput) say(`\n${throughputLines(results.throughput, 'plain').join('\n')}`);
  if (results.scale?.failed) say(`\ntable size FAILED: ${results.scale.failed.split('\n')[0]}`);
  else if (results.scale) say(`\n${scaleLines(results.scale).join('\n')}`);
  if (results.fleet?.failed) say(`\nsync-fleet FAILED: ${results.fleet.failed.split('\n')[0]}`);
  else if (results.fleet) say(`\n${fleetLines(results.fleet, 'plain').join('\n')}`);
  if (results.notify) say(`\n${notifyLines(results.notify, 'plain').join('\n')}`);
  if (interrupted) {
    // A cut-short run must not replace the last complete results.
    say(`\ninterrupted: ${settings.resultsFile} left as it was`);
    return 130;
  }
  writeResults(settings.resultsFile, results);
  say(
    `\nresults: ${path.relative(process.cwd(), settings.resultsFile) || settings.resultsFile} (${results.durationS} s)`,
  );
  const skipped = results.runs.filter((r) => r.skipped);
  if (skipped.length) say(`NOTE: the ${skipped.map((r) => r.dialect).join(' and ')} part was SKIPPED -- see above`);
  const failed = results.checks.filter((c) => !c.ok && c.severity !== 'warn');
  if (failed.length) say(`FAIL: ${failed.length} check(s) failed`);
  return failed.length ? 1 : 0;
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    say(`bench failed: ${error.stack || error}`);
    process.exitCode = 1;
  });

'use strict';
/**
 * The throughput stage's whole run, in a child process of its own (forked by bench/run.js, or alone
 * with BENCH_THROUGHPUT=only): for each mode on the reachable dialects, refundhub against the
 * reference (run-mode.js). Sends { throughput, checks } to the parent and exits.
 */
const { readSettings } = require('../lib/settings');
const { answerParent, scenarioProcess } = require('../lib/scenario-process');
const { readThroughputSettings } = require('./settings');
const { runMode } = require('./run-mode');

const { say, cleanups, checks, check } = scenarioProcess({
  dialect: 'throughput',
  interrupted: '[throughput] interrupted: stopping the children and dropping the databases',
});

async function runThroughput() {
  const settings = readSettings();
  const tp = readThroughputSettings(settings.dialects);
  const started = Date.now();
  const modes = [];
  for (const mode of tp.modes) {
    try {
      modes.push(await runMode(mode, { settings, tp, check, say, cleanups }));
    } catch (error) {
      // One broken mode must not hide the others' numbers; it still fails the run.
      check(`${mode.mode}: throughput run completed`, false, error.stack || String(error));
      modes.push({ mode: mode.mode, dialect: mode.dialect, failed: error.stack || String(error) });
    }
  }
  say(`[throughput] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const knobs = {
    requests: tp.requests,
    warmup: tp.warmup,
    rounds: tp.rounds,
    concurrency: tp.concurrency,
    latencyRequests: tp.latencyRequests,
    seconds: tp.seconds,
    targets: tp.targets,
  };
  return { throughput: { settings: knobs, modes }, checks };
}

if (require.main === module) answerParent(runThroughput());

module.exports = { runThroughput };

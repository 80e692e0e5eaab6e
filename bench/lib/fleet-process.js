'use strict';
/**
 * The sync-fleet scenario's whole run, in a child process of its own (forked by bench/run.js after
 * the dialects' runs, or alone with BENCH_FLEET=only): the sync rates of scheduler fleets
 * (scenarios/sync-fleet.js), then claim time against table size (scenarios/sync-fleet-claims.js),
 * on the dialects of BENCH_DIALECTS. Sends { fleet, checks } to the parent and exits. Interrupted,
 * it drops its databases; its own children die with it (lib/fleet-processes.js).
 */
const { readSettings } = require('./settings');
const { readFleetSettings } = require('./fleet-settings');
const { fleetSyncRates } = require('../scenarios/sync-fleet');
const { claimTimes } = require('../scenarios/sync-fleet-claims');

const say = (line) => process.stdout.write(`${line}\n`);
const cleanups = new Set();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) return;
  interrupted = true;
  say('[fleet] interrupted: dropping the benchmark databases');
  Promise.allSettled([...cleanups].map((fn) => fn())).finally(() => process.exit(130));
});

async function runFleet(settings, fleet) {
  const checks = [];
  const check = (name, ok, detail, severity = 'fail') => checks.push({ dialect: 'fleet', name, ok, detail, severity });
  const context = { settings, fleet, check, cleanups, say };
  const result = { settings: fleet, sync: [], claims: [] };
  for (const [name, scenario, key] of [
    ['sync rates', fleetSyncRates, 'sync'],
    ['claim times', claimTimes, 'claims'],
  ]) {
    const started = Date.now();
    try {
      result[key] = await scenario(context);
    } catch (error) {
      check(`sync-fleet: ${name} ran`, false, error.stack || String(error));
    }
    say(`[fleet] ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { fleet: result, checks };
}

if (require.main === module) {
  runFleet(readSettings(), readFleetSettings())
    .then((answer) => process.send(answer))
    .catch((error) => process.send({ fatal: error.stack || String(error) }))
    .finally(() => {
      process.disconnect?.();
      setTimeout(() => process.exit(0), 5000).unref();
    });
}

module.exports = { runFleet };

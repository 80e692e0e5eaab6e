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
const { answerParent, scenarioProcess } = require('./scenario-process');

const { say, cleanups, checks, check } = scenarioProcess({
  dialect: 'fleet',
  interrupted: '[fleet] interrupted: dropping the benchmark databases',
});

async function runFleet(settings, fleet) {
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

if (require.main === module) answerParent(runFleet(readSettings(), readFleetSettings()));

module.exports = { runFleet };

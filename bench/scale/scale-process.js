'use strict';
/**
 * The table-size stage's whole run, in a child process of its own (forked by bench/run.js with
 * BENCH_SCALE=1 or only): for each reachable dialect, each size of BENCH_SCALE_ROWS (run-size.js),
 * with one load process for all. Sends { scale, checks } to the parent and exits.
 */
const path = require('node:path');

const { readSettings } = require('../lib/settings');
const { answerParent, scenarioProcess } = require('../lib/scenario-process');
const { startChild } = require('../throughput/children');
const { readScaleSettings } = require('./settings');
const { runSize } = require('./run-size');

const { say, cleanups, checks, check } = scenarioProcess({
  dialect: 'scale',
  interrupted: '[scale] interrupted: stopping the children and dropping the databases',
});

async function runScale() {
  const settings = readSettings();
  const scale = readScaleSettings(settings.dialects);
  const load = await startChild('load', path.join(__dirname, '..', 'throughput', 'load-runner.js'), {});
  cleanups.add(load.close);
  const sizes = [];
  try {
    for (const dialect of scale.dialects) {
      for (const rows of scale.rows) {
        try {
          sizes.push(await runSize({ dialect, rows, settings, scale, load, check, say, cleanups }));
        } catch (error) {
          check(`${dialect} ${rows} rows: run completed`, false, error.stack || String(error));
        }
      }
    }
  } finally {
    await load.close();
  }
  const knobs = { ...scale, mode: undefined };
  return { scale: { settings: knobs, sizes }, checks };
}

if (require.main === module) answerParent(runScale());

module.exports = { runScale };

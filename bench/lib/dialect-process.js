'use strict';
/**
 * One database dialect's whole run, in a child process of its own (forked by bench/run.js), so
 * that each dialect starts from a cold JIT and a fresh heap: the second dialect must not look
 * faster only because the first one warmed shared code, and its memory numbers must be its own.
 * Sends { run, checks } to the parent and exits.
 */
const { performance } = require('node:perf_hooks');

const { readSettings } = require('./settings');
const { createBenchDatabase } = require('./databases');
const { startApi } = require('./api');
const { memorySnapshot } = require('./memory');
const { createRefunds } = require('../scenarios/create-refunds');
const { overRefundGuard } = require('../scenarios/over-refund-guard');
const { syncRate } = require('../scenarios/sync-rate');
const { listRefunds } = require('../scenarios/list-refunds');

// Order matters: create and guard leave the PROCESSING refunds that sync settles, and all three
// leave the rows that list pages through.
const SCENARIOS = [
  ['create', createRefunds],
  ['guard', overRefundGuard],
  ['sync', syncRate],
  ['list', listRefunds],
];

const say = (line) => process.stdout.write(`${line}\n`);

/** Undo work (close the app, drop the database) also when the run is interrupted. */
const cleanups = new Set();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) return;
  interrupted = true;
  say(`[${process.argv[2]}] interrupted: closing the app and dropping the benchmark database`);
  Promise.allSettled([...cleanups].map((fn) => fn())).finally(() => process.exit(130));
});

async function runDialect(dialect, settings) {
  const checks = [];
  // severity 'fail' makes the run exit non-zero; 'warn' is reported and written down only.
  const check = (name, ok, detail, severity = 'fail') => checks.push({ dialect, name, ok, detail, severity });
  const processStart = memorySnapshot();
  const db = await createBenchDatabase(dialect, settings);
  const dropDb = () => db.drop();
  cleanups.add(dropDb);
  let api;
  try {
    say(`[${dialect}] ${db.describe}`);
    api = await startApi(db.options, settings, dialect);
    cleanups.add(api.close);
    const appStarted = memorySnapshot();
    const scenarios = [];
    for (const [name, scenario] of SCENARIOS) {
      const started = performance.now();
      try {
        const result = await scenario({ api, db, settings, check, dialect });
        scenarios.push(...(Array.isArray(result) ? result : [result]));
      } catch (error) {
        // One broken scenario must not hide the others' numbers; it still fails the run.
        check(`${name}: scenario ran`, false, error.stack || String(error));
      }
      say(`[${dialect}] ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const memory = { processStart, before: appStarted, after: memorySnapshot() };
    return { run: { dialect, database: db.describe, scenarios, memory }, checks };
  } finally {
    if (api) {
      await api.close().catch((error) => say(`[${dialect}] closing the app failed: ${error.message}`));
      cleanups.delete(api.close);
    }
    await dropDb().catch((error) => say(`[${dialect}] dropping ${db.describe} failed: ${error.message}`));
    cleanups.delete(dropDb);
  }
}

if (require.main === module) {
  const dialect = process.argv[2];
  runDialect(dialect, readSettings())
    .then((answer) => process.send(answer))
    .catch((error) => process.send({ fatal: error.stack || String(error) }))
    .finally(() => {
      process.disconnect?.();
      // A handle left open by a library must not keep this child (and so the parent) alive.
      setTimeout(() => process.exit(0), 5000).unref();
    });
}

module.exports = { runDialect };

'use strict';
/**
 * The notify-flood scenario's whole run, in a child process of its own (forked by bench/run.js, or
 * alone with BENCH_NOTIFY=only): it probes the API, which runs in a process of its own, while a load
 * generator in a third floods the notify route. Sends { notify, checks } to the parent and exits.
 */
const { readNotifySettings } = require('./notify-settings');
const { notifyFlood } = require('../scenarios/notify-flood');

const say = (line) => process.stdout.write(`${line}\n`);
const cleanups = new Set();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) return;
  interrupted = true;
  say('[notify] interrupted: closing the API');
  Promise.allSettled([...cleanups].map((fn) => fn())).finally(() => process.exit(130));
});

async function runNotify(notify) {
  const checks = [];
  const check = (name, ok, detail, severity = 'fail') => checks.push({ dialect: 'notify', name, ok, detail, severity });
  const started = Date.now();
  try {
    const result = await notifyFlood({ notify, check, cleanups, say });
    return { notify: result, checks };
  } catch (error) {
    check('notify-flood: scenario ran', false, error.stack || String(error));
    return { notify: { failed: error.stack || String(error) }, checks };
  } finally {
    say(`[notify] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

if (require.main === module) {
  runNotify(readNotifySettings())
    .then((answer) => process.send(answer))
    .catch((error) => process.send({ fatal: error.stack || String(error) }))
    .finally(() => {
      process.disconnect?.();
      setTimeout(() => process.exit(0), 5000).unref();
    });
}

module.exports = { runNotify };

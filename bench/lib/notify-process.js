'use strict';
/**
 * The notify-flood scenario's whole run, in a child process of its own (forked by bench/run.js, or
 * alone with BENCH_NOTIFY=only): it probes the API, which runs in a process of its own, while a load
 * generator in a third floods the notify route. Sends { notify, checks } to the parent and exits.
 */
const { readNotifySettings } = require('./notify-settings');
const { notifyFlood } = require('../scenarios/notify-flood');
const { answerParent, scenarioProcess } = require('./scenario-process');

const { say, cleanups, checks, check } = scenarioProcess({
  dialect: 'notify',
  interrupted: '[notify] interrupted: closing the API',
});

async function runNotify(notify) {
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

if (require.main === module) answerParent(runNotify(readNotifySettings()));

module.exports = { runNotify };

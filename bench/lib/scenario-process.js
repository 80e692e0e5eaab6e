'use strict';
/**
 * What every scenario that runs in a child process of its own (lib/fleet-process.js,
 * lib/notify-process.js) shares: its output lines, the clean-ups an interrupt runs, its checks, and
 * the one answer it sends to bench/run.js before it exits.
 */

/**
 * `say` writes a line; `cleanups` holds what SIGINT runs (once) before the process exits with 130;
 * `checks` collects what `check` records under `dialect`.
 */
function scenarioProcess({ dialect, interrupted }) {
  const say = (line) => process.stdout.write(`${line}\n`);
  const cleanups = new Set();
  let stopping = false;
  process.on('SIGINT', () => {
    if (stopping) return;
    stopping = true;
    say(interrupted);
    Promise.allSettled([...cleanups].map((fn) => fn())).finally(() => process.exit(130));
  });
  const checks = [];
  const check = (name, ok, detail, severity = 'fail') => checks.push({ dialect, name, ok, detail, severity });
  return { say, cleanups, checks, check };
}

/** Sends the scenario's answer (or why it could not run) to the parent, then leaves. */
function answerParent(run) {
  run
    .then((answer) => process.send(answer))
    .catch((error) => process.send({ fatal: error.stack || String(error) }))
    .finally(() => {
      process.disconnect?.();
      setTimeout(() => process.exit(0), 5000).unref();
    });
}

module.exports = { answerParent, scenarioProcess };

'use strict';
/** Reading a scenario's knobs from the environment: the same checks and messages for every scenario. */

/** An integer >= `min` from `name`, or `fallback` when it is unset or empty. */
function int(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  // Digits only: a typo like "2k" must stop the run, not silently become NaN or 2.
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return Number(raw);
}

/** A comma-separated list of positive integers from `name`, or `fallback`. */
function ints(name, fallback) {
  const raw = process.env[name];
  const values = raw === undefined || raw === '' ? fallback : raw.split(',').map((v) => v.trim());
  return values.map((v) => {
    if (!/^\d+$/.test(String(v)) || Number(v) < 1) throw new Error(`${name}: '${v}' must be a positive integer`);
    return Number(v);
  });
}

/** A scenario's mode from `name`: 1 (after the other scenarios, the default), 0 (skipped) or only. */
function scenarioMode(name) {
  const modes = ['1', '0', 'only'];
  const mode = process.env[name] || '1';
  if (!modes.includes(mode)) throw new Error(`${name} must be one of ${modes.join(', ')}, got '${mode}'`);
  return mode;
}

module.exports = { int, ints, scenarioMode };

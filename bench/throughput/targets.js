'use strict';
/**
 * The targets, held against one mode's figures: each says met or missed and by how much.
 * Never asserted: a slow number is a finding, not a failed run (correctness checks fail runs).
 */

/** One target: `value` against `limit`, 'min' (at least) or 'max' (at most). */
function target(name, value, limit, kind, unit) {
  if (value === null || value === undefined || Number.isNaN(value))
    return { name, value: null, limit, kind, unit, met: false, margin: null };
  const margin = kind === 'min' ? value - limit : limit - value;
  return {
    name,
    value: Number(value.toFixed(3)),
    limit,
    kind,
    unit,
    met: margin >= 0,
    margin: Number(margin.toFixed(3)),
  };
}

/** The targets of `mode` (settings.js TARGETS) against its figures (run-mode.js). */
function evaluateTargets(mode, figures, targets) {
  const mine = targets[mode.mode];
  const list = [];
  const api = figures.api.throughput;
  list.push(target(`POST /refunds c=${api.concurrency} per s`, api.perSecond, mine.perSecond, 'min', '/s'));
  if (mine.ratio !== undefined) {
    list.push(
      target(
        'POST /refunds per s, ratio to the reference (median of the rounds)',
        figures.ratio,
        mine.ratio,
        'min',
        '×',
      ),
    );
  }
  list.push(target('added p50 at c=1 (API p50 - direct p50)', figures.addedP50Ms.api, mine.addedP50Ms, 'max', 'ms'));
  list.push(
    target('API peak RSS under the throughput run', figures.memory.apiPeakRssMiB, targets.peakRssMiB, 'max', 'MiB'),
  );
  return list;
}

/** `met (+12.3 /s)` or `MISSED (-880.0 /s)`. */
function describeTarget(t) {
  if (t.value === null) return 'MISSED (no figure)';
  const digits = t.unit === '×' ? 2 : 1;
  const sign = t.margin >= 0 ? '+' : '';
  return `${t.met ? 'met' : 'MISSED'} (${sign}${t.margin.toFixed(digits)} ${t.unit})`;
}

module.exports = { evaluateTargets, describeTarget };

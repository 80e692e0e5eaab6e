'use strict';
/**
 * Whole-machine CPU use from /proc/stat (Linux), to tell "the API's thread is the limit" from
 * "the machine is out of cores" (PostgreSQL's backends are not in this process's numbers).
 * Elsewhere it answers null and the report prints "-".
 */
const { readFileSync } = require('node:fs');

function machineCpuTicks() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: idle + iowait is "not busy".
    const idle = fields[3] + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { idle, total };
  } catch {
    return null;
  }
}

/** Share of all cores busy between two readings, 0..1. */
function machineBusyBetween(start, end) {
  if (!start || !end || end.total === start.total) return null;
  return 1 - (end.idle - start.idle) / (end.total - start.total);
}

module.exports = { machineCpuTicks, machineBusyBetween };

'use strict';
/** Latency summaries. Nearest-rank percentiles: every reported number is one a request really took. */

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (value, digits = 2) => (value === null || value === undefined ? null : Number(value.toFixed(digits)));

/** { count, min, mean, p50, p95, p99, max } in milliseconds, rounded to 0.01 ms. */
function summarize(samplesMs) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    min: round(sorted[0] ?? null),
    mean: round(sorted.length ? sum / sorted.length : null),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? null),
  };
}

/** How many of each value, e.g. HTTP statuses: { '201': 100, '422': 100 }. */
function tally(values) {
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** The figures every HTTP load scenario reports: rate, latency and where the CPU went. */
function loadFigures(result, run) {
  return {
    sent: result.sent,
    perSecond: result.sent / (result.elapsedMs / 1000),
    elapsedMs: result.elapsedMs,
    latencyMs: summarize(result.ms),
    apiLoopUtilization: run.apiLoopUtilization,
    processCpuCores: run.processCpuCores,
    machineCpuBusy: run.machineCpuBusy,
    clientLoopUtilization: result.clientLoopUtilization,
  };
}

module.exports = { percentile, summarize, tally, round, loadFigures };

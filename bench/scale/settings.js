'use strict';
/**
 * The knobs of the table-size stage (bench/scale/): the same requests against a refund table of each
 * size, to see whether a request's cost grows with the history. Off unless asked (BENCH_SCALE=1 or
 * only): writing a million rows takes a minute per dialect.
 */
const { int, ints } = require('../lib/env-numbers');

function readScaleSettings(dialects) {
  const raw = process.env.BENCH_SCALE || '0';
  if (!['0', '1', 'only'].includes(raw)) throw new Error(`BENCH_SCALE must be one of 0, 1, only, got '${raw}'`);
  return {
    mode: raw,
    dialects,
    // Rows already in the table (settled refunds of another merchant) before the measured requests.
    rows: ints('BENCH_SCALE_ROWS', [10_000, 1_000_000]),
    warmup: int('BENCH_SCALE_WARMUP', 300, 0),
    requests: int('BENCH_SCALE_REQUESTS', 1000),
    concurrency: int('BENCH_SCALE_CONCURRENCY', 16),
    listRequests: int('BENCH_SCALE_LIST_REQUESTS', 500),
    listConcurrency: int('BENCH_SCALE_LIST_CONCURRENCY', 4),
    seconds: int('BENCH_SCALE_SECONDS', 60),
    // The target: the largest table's figure within this factor of the smallest's.
    maxRatio: 1.5,
  };
}

module.exports = { readScaleSettings };

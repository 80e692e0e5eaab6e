'use strict';
/**
 * The knobs of the throughput stage (bench/throughput/), read once from the environment beside
 * lib/settings.js, whose dialects, PostgreSQL server and results file it shares. Defaults keep the
 * stage under about four minutes on a 2-core machine at today's API rate (about 120 refunds/s).
 */
const { int, scenarioMode } = require('../lib/env-numbers');

/** sqlite runs twice: durable (synchronous=FULL, the product's default) and synchronous=NORMAL. */
const MODES = [
  { mode: 'sqlite-full', dialect: 'sqlite', synchronous: 'full' },
  { mode: 'sqlite-normal', dialect: 'sqlite', synchronous: 'normal' },
  { mode: 'postgresql', dialect: 'postgresql' },
];

/** The targets; printed as met or missed with the margin, never asserted. */
const TARGETS = {
  'sqlite-full': { perSecond: 1000, ratio: 0.8, addedP50Ms: 1 },
  'sqlite-normal': { perSecond: 1200, addedP50Ms: 1 },
  postgresql: { perSecond: 1000, ratio: 0.8, addedP50Ms: 2 },
  peakRssMiB: 200,
};

function readThroughputSettings(dialects) {
  return {
    // 1: after the API scenarios; only: nothing else; 0: skipped.
    mode: scenarioMode('BENCH_THROUGHPUT'),
    modes: MODES.filter((m) => dialects.includes(m.dialect)),
    // Measured POST /refunds per target at c=concurrency, after `warmup` unmeasured ones.
    requests: int('BENCH_THROUGHPUT_REQUESTS', 2000),
    // 3,000: after 1,000 the API's first measured round still ran slower than its others (JIT warm-up).
    warmup: int('BENCH_THROUGHPUT_WARMUP', 3000, 0),
    // Measured runs per server, alternating between the two: the figure is the median round.
    rounds: int('BENCH_THROUGHPUT_ROUNDS', 3),
    concurrency: int('BENCH_THROUGHPUT_CONCURRENCY', 16),
    // Sequential requests (c=1) per target for the latency, after a tenth as many unmeasured.
    latencyRequests: int('BENCH_THROUGHPUT_LATENCY_REQUESTS', 300),
    // A cap per load run: a slow build gets fewer samples, never a run that does not end.
    seconds: int('BENCH_THROUGHPUT_SECONDS', 30),
    targets: TARGETS,
  };
}

module.exports = { readThroughputSettings, MODES, TARGETS };

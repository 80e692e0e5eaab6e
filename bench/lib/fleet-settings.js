'use strict';
/**
 * The knobs of the sync-fleet scenario (scenarios/sync-fleet*.js), read once from the environment
 * beside lib/settings.js, whose dialects, PostgreSQL server and results file it shares.
 */
const { int, ints, scenarioMode } = require('./env-numbers');

function readFleetSettings() {
  const mode = scenarioMode('BENCH_FLEET');
  return {
    // 1: after the API scenarios; only: nothing else; 0: skipped.
    mode,
    refunds: int('BENCH_FLEET_REFUNDS', 10_000),
    // Unmeasured refunds each instance syncs first, so that its JIT has settled (as BENCH_WARMUP does).
    warmup: int('BENCH_FLEET_WARMUP', 300, 0),
    // Scheduler instances, each a process; on SQLite they share one file.
    instances: ints('BENCH_FLEET_INSTANCES', [1, 3]),
    // PROCESSING answers before SUCCEEDED: 0 means each refund settles on its first sync.
    processingAnswers: int('BENCH_FLEET_PROCESSING', 0, 0),
    batchSize: int('BENCH_FLEET_BATCH', 50),
    concurrency: int('BENCH_FLEET_CONCURRENCY', 8),
    // How long the gateway holds each answer: long enough for two queries of one refund to meet
    // there (at 0 each is answered in the turn it arrives), short enough to cost the platform nothing.
    gatewayHoldMs: int('BENCH_FLEET_GATEWAY_MS', 1, 0),
    // A cap per configuration: a run that has not settled by then is reported as such.
    seconds: int('BENCH_FLEET_SECONDS', 600),
    claimRows: ints('BENCH_FLEET_CLAIM_ROWS', [10_000, 1_000_000]),
    claimDue: int('BENCH_FLEET_CLAIM_DUE', 3_000),
    claimWaiting: int('BENCH_FLEET_CLAIM_WAITING', 2_000, 0),
    // Due refunds of the backlog row (0: no backlog row), on a table of the largest size.
    claimBacklog: int('BENCH_FLEET_CLAIM_BACKLOG', 100_000, 0),
    claimSamples: int('BENCH_FLEET_CLAIM_SAMPLES', 50),
  };
}

module.exports = { readFleetSettings };

'use strict';
/**
 * Every knob of the benchmark, read once from the environment. Defaults keep the whole
 * `npm run bench` (build included) under about three minutes on a 2-core machine.
 */
const path = require('node:path');

const { int } = require('./env-numbers');

const DIALECTS = ['sqlite', 'postgresql'];

function list(name, fallback, allowed) {
  const raw = process.env[name];
  const values = (raw === undefined || raw === '' ? fallback : raw.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const value of values) {
    if (allowed && !allowed.includes(value)) throw new Error(`${name}: '${value}' is not one of ${allowed.join(', ')}`);
  }
  return values;
}

function readSettings() {
  const settings = {
    dialects: list('BENCH_DIALECTS', DIALECTS, DIALECTS),
    pgUrl: process.env.REFUNDHUB_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/test',
    // Unset = the operator default of the driver (10 connections), which is what a deployment gets.
    pgPoolMax: process.env.BENCH_PG_POOL ? int('BENCH_PG_POOL', 10) : undefined,
    refunds: int('BENCH_REFUNDS', 2000),
    // Enough for the JIT to settle: with 20 the first run measured half the warm throughput.
    warmup: int('BENCH_WARMUP', 300, 0),
    concurrency: int('BENCH_CONCURRENCY', 16),
    orderTotal: 1000,
    refundAmount: 100,
    guardRequests: int('BENCH_GUARD_REQUESTS', 200),
    guardAmount: int('BENCH_GUARD_AMOUNT', 10),
    guardTotal: int('BENCH_GUARD_TOTAL', 1000),
    syncBatch: int('BENCH_SYNC_BATCH', 50),
    syncConcurrency: int('BENCH_SYNC_CONCURRENCY', 4),
    listLimits: list('BENCH_LIST_LIMITS', ['50', '200']).map((v) => {
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 200)
        throw new Error(`BENCH_LIST_LIMITS: '${v}' must be 1..200`);
      return Number(v);
    }),
    listPasses: int('BENCH_LIST_PASSES', 3),
    // A cap per scenario: a slow machine gets fewer samples, never a run that does not end.
    scenarioSeconds: int('BENCH_SCENARIO_SECONDS', 60),
    // Generous, so that overload shows up as latency rather than as UNKNOWN refunds.
    gatewayTimeoutMs: int('BENCH_GATEWAY_TIMEOUT_MS', 10_000),
    // A run leaves the tracked results alone unless asked to record them (BENCH_RECORD=1).
    resultsFile: path.resolve(
      process.env.BENCH_RESULTS ||
        path.join(__dirname, '..', 'results', process.env.BENCH_RECORD === '1' ? 'latest.json' : 'local.json'),
    ),
  };
  return settings;
}

module.exports = { readSettings };

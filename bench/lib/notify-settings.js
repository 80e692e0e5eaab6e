'use strict';
/**
 * The knobs of the notify-flood scenario (scenarios/notify-flood.js), read once from the environment
 * beside lib/settings.js, whose results file it shares.
 */
const { int, scenarioMode } = require('./env-numbers');

function readNotifySettings() {
  const mode = scenarioMode('BENCH_NOTIFY');
  return {
    // 1: after the other scenarios; only: nothing else; 0: skipped.
    mode,
    // Each phase (bare, then under the flood) probes /health this long.
    seconds: int('BENCH_NOTIFY_SECONDS', 15),
    // Senders of oversized bodies, each with one request in flight at a time.
    oversizedSenders: int('BENCH_NOTIFY_OVERSIZED', 20, 0),
    // 1 MiB: the largest body the notify route took before per-gateway limits.
    oversizedBytes: int('BENCH_NOTIFY_OVERSIZED_BYTES', 1024 * 1024),
    // Senders of hostile bodies of exactly their gateway's limit, each with one request in flight.
    hostileSenders: int('BENCH_NOTIFY_HOSTILE', 20, 0),
    // The probe's pause between two /health requests (one in flight at a time).
    probeGapMs: int('BENCH_NOTIFY_PROBE_GAP_MS', 10, 0),
  };
}

module.exports = { readNotifySettings };

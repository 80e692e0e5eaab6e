'use strict';
/**
 * The knobs of the notify-flood scenario (scenarios/notify-flood.js), read once from the environment
 * beside lib/settings.js, whose results file it shares.
 */
const MODES = ['1', '0', 'only'];

function int(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return Number(raw);
}

function readNotifySettings() {
  const mode = process.env.BENCH_NOTIFY || '1';
  if (!MODES.includes(mode)) throw new Error(`BENCH_NOTIFY must be one of ${MODES.join(', ')}, got '${mode}'`);
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

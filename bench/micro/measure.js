'use strict';
/**
 * Runs an async call in a loop for a fixed time at a given concurrency, after a warm-up, and reports
 * calls per second and this process's CPU per call (user + system, from process.cpuUsage): on a
 * micro benchmark the CPU per call is the number that adds up under load, wall time is mostly idle.
 */
async function measure({ call, concurrency, seconds, warmupCalls }) {
  for (let i = 0; i < warmupCalls; i++) await call();
  if (global.gc) global.gc();
  const stopAt = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  let calls = 0;
  const worker = async () => {
    while (process.hrtime.bigint() < stopAt) {
      await call();
      calls++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallNs = Number(process.hrtime.bigint() - wallStart);
  const cpu = process.cpuUsage(cpuStart);
  return {
    callsPerSecond: Math.round(calls / (wallNs / 1e9)),
    cpuMicrosPerCall: Number(((cpu.user + cpu.system) / calls).toFixed(1)),
    calls,
  };
}

/** Synchronous work: operations per second and microseconds per operation, best of `rounds`. */
function measureSync({ run, seconds, rounds = 3 }) {
  for (let i = 0; i < 2000; i++) run();
  let best = null;
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    const stopAt = start + BigInt(Math.round(seconds * 1e9));
    let ops = 0;
    while (process.hrtime.bigint() < stopAt) {
      for (let i = 0; i < 100; i++) run();
      ops += 100;
    }
    const ns = Number(process.hrtime.bigint() - start);
    const result = { opsPerSecond: Math.round(ops / (ns / 1e9)), microsPerOp: Number((ns / ops / 1000).toFixed(2)) };
    if (best === null || result.opsPerSecond > best.opsPerSecond) best = result;
  }
  return best;
}

module.exports = { measure, measureSync };

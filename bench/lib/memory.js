'use strict';
/**
 * Memory of the whole benchmark process: API, in-process gateway sandbox and the load
 * worker share it, so rss is an upper bound for the API alone. No forced GC (that would need
 * --expose-gc), so heapUsed includes garbage not yet collected.
 */
const MiB = 1024 * 1024;

function memorySnapshot() {
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  const mib = (bytes) => Number((bytes / MiB).toFixed(1));
  return { rssMiB: mib(rss), heapUsedMiB: mib(heapUsed), heapTotalMiB: mib(heapTotal), externalMiB: mib(external) };
}

module.exports = { memorySnapshot };

'use strict';
/**
 * What the kernel knows about a child process, read from the parent so the child spends nothing on
 * it: its CPU time (/proc/<pid>/stat) and its resident memory, now and at its peak (VmRSS, VmHWM).
 */
const { readFileSync, readdirSync } = require('node:fs');

/** Clock ticks per second of /proc/<pid>/stat: 100 on every Linux this runs on. */
const TICKS = 100;

/**
 * CPU seconds (user + system) the process has used so far, or null off Linux; with `mainThread`, those
 * of its main thread alone (the event loop, without the garbage collector's and compiler's threads).
 */
function cpuSeconds(pid, { mainThread = false } = {}) {
  try {
    const stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

/**
 * CPU seconds of every process named `comm` whose command line mentions `mentioning`, or null off
 * Linux: PostgreSQL's backends (and autovacuum workers) of one database name it in their titles. A
 * backend that exits between two readings takes its time with it; the pools keep theirs.
 */
function cpuSecondsOfAll(comm, mentioning) {
  try {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let name;
      try {
        name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        if (name !== comm || !readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(mentioning)) continue;
      } catch {
        continue; // gone since the listing
      }
      total += cpuSeconds(Number(entry)) ?? 0;
    }
    return total;
  } catch {
    return null;
  }
}

/** { rssMiB, peakRssMiB } of the process, or nulls off Linux. */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const mib = (value) => (Number.isNaN(value) ? null : Number((value / 1024).toFixed(1)));
    return { rssMiB: mib(kib('VmRSS')), peakRssMiB: mib(kib('VmHWM')) };
  } catch {
    return { rssMiB: null, peakRssMiB: null };
  }
}

/** Starts counting CPU seconds as `read` gives them; the function returned says how many since, or null. */
function cpuSince(read) {
  const before = read();
  return () => {
    const now = read();
    return now === null || before === null ? null : now - before;
  };
}

/** Starts counting CPU of `pids` (by name); `stop()` gives each one's cores over the time between. */
function cpuMeter(pids) {
  const started = performance.now();
  const used = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSince(() => cpuSeconds(pid))]));
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      return Object.fromEntries(
        Object.entries(used).map(([name, since]) => {
          const cpu = since();
          return [name, cpu === null ? null : Number((cpu / seconds).toFixed(2))];
        }),
      );
    },
  };
}

module.exports = { cpuSeconds, cpuSecondsOfAll, cpuSince, memoryOf, cpuMeter };

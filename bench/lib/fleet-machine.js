'use strict';
/**
 * What the machine does besides the code being measured, read from Linux /proc (elsewhere: null):
 * the CPU time of the PostgreSQL backends serving one database, so that the database's share of a
 * sync is measured rather than guessed from the machine's total (which also counts whatever else runs
 * on the box, other databases on the same server included); and the page cache still to be written
 * back after a bulk load.
 */
const { readdirSync, readFileSync } = require('node:fs');

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every common platform. */
const TICK_MS = 10;

/**
 * Milliseconds of CPU used so far by the running backends connected to `database` (a backend's
 * command line reads `postgres: 15/main: <user> <database> <client> <state>`). The server's own
 * background processes (WAL writer, checkpointer) are left out.
 */
function postgresCpuMs(database) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of pids) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid ... utime stime: fields 14 and 15, counted after the ")" that ends comm.
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    let command;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!command.split(' ').includes(database)) continue;
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}

/** Kilobytes of the page cache still to be written to disk (Dirty + Writeback), or null off Linux. */
function unwrittenKiB() {
  try {
    const meminfo = readFileSync('/proc/meminfo', 'utf8');
    const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1] ?? 0);
    return kib('Dirty') + kib('Writeback');
  } catch {
    return null;
  }
}

/**
 * Resolves once the kernel has written back what a bulk load left in the page cache (below
 * `thresholdKiB`), looking every 200 ms, or after `deadlineMs` whatever it says: that writeback
 * would otherwise run in the middle of a timing and slow everything measured, not only the database.
 */
async function settledDisk({ thresholdKiB = 16 * 1024, deadlineMs = 60_000 } = {}) {
  const giveUpAt = Date.now() + deadlineMs;
  for (;;) {
    const left = unwrittenKiB();
    if (left === null || left < thresholdKiB || Date.now() > giveUpAt) return left;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

module.exports = { postgresCpuMs, settledDisk };

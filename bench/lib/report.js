'use strict';
/** The compact table on stdout and the JSON file; nothing here measures anything. */
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');

const fixed = (value, digits = 1) =>
  value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);

function pad(cells, widths, rightAlign) {
  return cells
    .map((cell, i) => (rightAlign[i] ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i])))
    .join('  ');
}

/** Rows of the results table as arrays of strings (also used for BENCHMARKS.md). */
function tableRows(runs) {
  const header = [
    'db',
    'scenario',
    'n',
    'ok',
    'per s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'api loop',
    'proc cores',
    'host busy',
  ];
  const rows = [];
  for (const run of runs) {
    if (run.skipped || run.failed) {
      rows.push([
        run.dialect,
        run.skipped ? `SKIPPED: ${run.skipped}` : `FAILED: ${run.failed.split('\n')[0]}`,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ]);
      continue;
    }
    for (const s of run.scenarios) {
      const l = s.latencyMs;
      rows.push([
        run.dialect,
        s.label,
        String(s.sent),
        String(s.ok),
        fixed(s.perSecond),
        fixed(l.p50, 2),
        fixed(l.p95, 2),
        fixed(l.p99, 2),
        fixed(l.max, 2),
        fixed(s.apiLoopUtilization, 2),
        fixed(s.processCpuCores, 2),
        s.machineCpuBusy === null || s.machineCpuBusy === undefined ? '-' : `${Math.round(s.machineCpuBusy * 100)}%`,
      ]);
    }
  }
  return { header, rows };
}

function memoryLines(runs) {
  return runs
    .filter((run) => run.memory)
    .map((run) => {
      const { processStart: start, before, after } = run.memory;
      return (
        `${run.dialect}: rss ${start.rssMiB} -> ${before.rssMiB} -> ${after.rssMiB} MiB, ` +
        `heapUsed ${start.heapUsedMiB} -> ${before.heapUsedMiB} -> ${after.heapUsedMiB} MiB (process start -> app started -> all scenarios done)`
      );
    });
}

function printReport(results) {
  const { header, rows } = tableRows(results.runs);
  const right = header.map((_, i) => i >= 2);
  // Skipped or failed runs print their reason on one free-width line; they do not widen the columns.
  const unmeasured = (row) => /^(SKIPPED|FAILED): /.test(row[1]);
  const measuredRows = rows.filter((r) => !unmeasured(r));
  const widths = header.map((h, i) => Math.max(h.length, ...measuredRows.map((r) => r[i].length)));
  const lines = [pad(header, widths, right), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of rows)
    lines.push(unmeasured(row) ? `${row[0].padEnd(widths[0])}  ${row[1]}` : pad(row, widths, right));
  lines.push('');
  lines.push(...memoryLines(results.runs).map((l) => `memory ${l}`));
  for (const run of results.runs.filter((r) => r.scenarios)) {
    const sync = run.scenarios.find((s) => s.scenario === 'sync');
    if (sync) {
      lines.push(
        `${run.dialect}: sync ran ${sync.rounds} rounds in ${fixed(sync.roundsMs / 1000)} s (${fixed(sync.roundsOnlyPerSecond)}/s), ` +
          `then the sandbox's notifications took ${fixed(sync.notificationDrainMs / 1000, 2)} s more to drain; per s above includes the drain`,
      );
    }
  }
  lines.push('');
  for (const c of results.checks) {
    const mark = c.ok ? 'ok  ' : c.severity === 'warn' ? 'WARN' : 'FAIL';
    lines.push(`${mark} [${c.dialect}] ${c.name}${c.ok ? '' : ` -- ${c.detail}`}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function writeResults(file, results) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

module.exports = { printReport, writeResults, tableRows, memoryLines };

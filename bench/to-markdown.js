'use strict';
/**
 * Prints a results file (default bench/results/latest.json) as the Markdown table that
 * BENCHMARKS.md carries, so the document is pasted from a run, never retyped by hand.
 *   node bench/to-markdown.js [results.json]
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const { tableRows, memoryLines } = require('./lib/report');
const { fleetLines } = require('./lib/fleet-report');
const { notifyLines } = require('./lib/notify-report');
const { throughputLines } = require('./throughput/report');

const file = path.resolve(process.argv[2] || path.join(__dirname, 'results', 'latest.json'));
const results = JSON.parse(readFileSync(file, 'utf8'));
const { header, rows } = tableRows(results.runs);
const right = header.map((_, i) => i >= 2);
// The API scenarios' table, unless the run had only the sync-fleet scenario (BENCH_FLEET=only).
const lines = results.runs.length
  ? [
      `| ${header.join(' | ')} |`,
      `| ${right.map((r) => (r ? '---:' : '---')).join(' | ')} |`,
      ...rows.map((row) => `| ${row.join(' | ')} |`),
      '',
      ...memoryLines(results.runs).map((line) => `- memory ${line}`),
    ]
  : [];
// The throughput stage's tables (refundhub against the reference), when the run had it.
if (results.throughput?.failed)
  lines.push(...(lines.length ? [''] : []), `throughput FAILED: ${results.throughput.failed.split('\n')[0]}`);
else if (results.throughput)
  lines.push(...(lines.length ? [''] : []), ...throughputLines(results.throughput, 'markdown'));
// The sync-fleet scenario's tables, when the run had it.
if (results.fleet && !results.fleet.failed)
  lines.push(...(lines.length ? [''] : []), ...fleetLines(results.fleet, 'markdown'));
// The notify-flood scenario's tables, when the run had it.
if (results.notify) lines.push(...(lines.length ? [''] : []), ...notifyLines(results.notify, 'markdown'));
process.stdout.write(`${lines.join('\n')}\n`);

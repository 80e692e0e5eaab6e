'use strict';
/** The table-size stage's table: each size's figures, and the largest size against the smallest. */

function scaleLines(scale) {
  const lines = [
    'table size: the same requests against a refund table of each size (settled refunds of another merchant)',
    '',
  ];
  const header = ['db', 'rows', 'request', 'per s', 'p50 ms', 'p99 ms', 'p50 × smallest'];
  const rows = [];
  for (const dialect of [...new Set(scale.sizes.map((s) => s.dialect))]) {
    const sizes = scale.sizes.filter((s) => s.dialect === dialect).sort((a, b) => a.rows - b.rows);
    const runsOf = (size) => [{ name: 'POST /refunds c=16', ...size.post }, ...size.lists];
    const smallest = runsOf(sizes[0]);
    for (const size of sizes) {
      runsOf(size).forEach((run, i) => {
        const ratio = run.latencyMs.p50 / smallest[i].latencyMs.p50;
        const verdict =
          size === sizes[0] ? '' : `${ratio.toFixed(2)} ${ratio <= scale.settings.maxRatio ? 'met' : 'MISSED'}`;
        rows.push([
          dialect,
          String(size.rows),
          run.name,
          run.perSecond.toFixed(1),
          String(run.latencyMs.p50),
          String(run.latencyMs.p99),
          verdict,
        ]);
      });
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  lines.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
  lines.push('', `target: each request's p50 on the largest table <= ${scale.settings.maxRatio} x on the smallest`);
  return lines;
}

module.exports = { scaleLines };

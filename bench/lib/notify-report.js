'use strict';
/** The notify-flood scenario's table, on stdout and as Markdown; nothing here measures anything. */

const fixed = (value, digits = 2) =>
  value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);
const percent = (value) => (value === null || value === undefined ? '-' : `${Math.round(value * 100)}%`);
const outcomes = (counts) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([outcome, count]) => `${outcome}: ${count}`)
    .join(', ');

function healthTable(notify) {
  const header = [
    'phase',
    'probes',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'api loop',
    'api cores',
    'api loop delay p99 / max ms',
    'api gc max ms',
    'host busy',
  ];
  const row = (name, p) => [
    name,
    String(p.health.latencyMs.count),
    fixed(p.health.latencyMs.p50),
    fixed(p.health.latencyMs.p95),
    fixed(p.health.latencyMs.p99),
    fixed(p.health.latencyMs.max),
    fixed(p.api.loopUtilization),
    fixed(p.api.cpuCores),
    p.api.loopDelayMs ? `${fixed(p.api.loopDelayMs.p99, 1)} / ${fixed(p.api.loopDelayMs.max, 1)}` : '-',
    fixed(p.api.gc?.maxMs, 1),
    percent(p.machineCpuBusy),
  ];
  return { header, rows: [row('bare (no load)', notify.bare), row('under the flood', notify.flood)] };
}

function loadTable(notify) {
  const header = ['bodies', 'sent', 'per s', 'offered MiB/s', 'p50 ms', 'p99 ms', 'answers'];
  const row = (name, l) => [
    name,
    String(l.sent),
    fixed(l.perSecond, 1),
    fixed(l.mibPerSecond, 1),
    fixed(l.latencyMs.p50),
    fixed(l.latencyMs.p99),
    outcomes(l.outcomes),
  ];
  const s = notify.settings;
  return {
    header,
    rows: [
      row(`oversized (${s.oversizedBytes} B, ${s.oversizedSenders} senders)`, notify.flood.load.oversized),
      row(`at the limit (${s.hostileSenders} senders)`, notify.flood.load.hostile),
    ],
  };
}

/** Text columns are aligned left, numbers right. */
const TEXT_COLUMNS = ['phase', 'bodies', 'answers', 'api loop delay p99 / max ms'];

function plain({ header, rows }) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (TEXT_COLUMNS.includes(header[i]) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function markdown({ header, rows }) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((h) => (TEXT_COLUMNS.includes(h) ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function notifyLines(notify, format) {
  if (notify.failed) return [`notify-flood FAILED: ${notify.failed.split('\n')[0]}`];
  const render = format === 'markdown' ? markdown : plain;
  const limits = Object.entries(notify.limits)
    .map(([gateway, bytes]) => `${gateway} ${bytes} B`)
    .join(', ');
  return [
    `notify-flood: /health probed ${notify.settings.seconds} s per phase, one request at a time, ` +
      `${notify.settings.probeGapMs} ms apart; notification limits: ${limits}`,
    '',
    ...render(healthTable(notify)),
    '',
    ...render(loadTable(notify)),
    '',
    `shapes at the limit: ${notify.shapes.join('; ')}`,
  ];
}

module.exports = { notifyLines };

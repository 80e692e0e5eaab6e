'use strict';
/**
 * The throughput stage's tables, on stdout and as Markdown: every refundhub figure beside its ratio
 * to the reference's (the same run, the same sandbox), then the targets, met or missed. Nothing here
 * measures anything.
 */
const { describeTarget } = require('./targets');

const fixed = (value, digits = 1) =>
  value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);
/** refundhub's figure over the reference's: `0.12×` (throughput: higher is better; latency: lower). */
const ratio = (mine, theirs) => (mine === null || !theirs ? '-' : `${(mine / theirs).toFixed(2)}×`);

const HEADER = [
  'run',
  'n',
  'ok',
  'per s',
  '× ref',
  'CPU ms/refund',
  '× ref',
  'p50 ms',
  '× ref',
  'p95 ms',
  '× ref',
  'p99 ms',
  '× ref',
  'cores',
];
const TEXT_COLUMNS = ['run', 'cores'];

/** `api 0.95, sandbox 0.20, load 0.10`: CPU cores of each process over the run. */
const cores = (run) =>
  run.cores
    ? [
        ...Object.entries(run.cores).map(
          ([name, value]) => `${name === 'api' ? 'refundhub' : name} ${fixed(value, 2)}`,
        ),
        // Above the benchmark's own cores, the rest of the machine was busy with other work.
        `host busy ${run.machineCpuBusy === null ? '-' : `${Math.round(run.machineCpuBusy * 100)}%`}`,
      ].join(', ')
    : '';

/**
 * One row; `versus` is the reference's run of the same shape (none for the reference and the direct
 * call); `pairRatio`, the median of the rounds' ratios, stands for the rate's ratio where there is one.
 */
function row(label, run, versus, pairRatio) {
  const l = run.latencyMs;
  const v = versus?.latencyMs;
  const okCount = run.status.PROCESSING ?? 0;
  return [
    // A run stopped by its cap sent fewer requests than asked: its n says how many, this says why.
    run.capped ? `${label} (capped)` : label,
    String(run.sent),
    String(okCount),
    fixed(run.perSecond),
    versus ? (pairRatio ?? ratio(run.perSecond, versus.perSecond)) : '',
    fixed(run.cpuMsPerRequest ?? null, 2),
    versus ? ratio(run.cpuMsPerRequest ?? null, versus.cpuMsPerRequest) : '',
    fixed(l.p50, 2),
    versus ? ratio(l.p50, v.p50) : '',
    fixed(l.p95, 2),
    versus ? ratio(l.p95, v.p95) : '',
    fixed(l.p99, 2),
    versus ? ratio(l.p99, v.p99) : '',
    cores(run),
  ];
}

function modeTable(m) {
  const c = m.api.throughput.concurrency;
  return {
    header: HEADER,
    rows: [
      row(
        `refundhub POST /refunds c=${c}`,
        m.api.throughput,
        m.reference.throughput,
        m.ratio === undefined ? undefined : `${m.ratio.toFixed(2)}×`,
      ),
      row(`reference POST /refunds c=${c}`, m.reference.throughput),
      row('refundhub POST /refunds c=1', m.api.latency, m.reference.latency),
      row('reference POST /refunds c=1', m.reference.latency),
      row('direct signed call to the sandbox c=1', m.direct.latency),
    ],
  };
}

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

function describeMode(m) {
  if (m.dialect === 'sqlite') return `SQLite, synchronous=${m.synchronous.toUpperCase()}`;
  return 'PostgreSQL';
}

function modeLines(m, format) {
  if (m.failed) return [`throughput ${m.mode} FAILED: ${m.failed.split('\n')[0]}`];
  const bullet = format === 'markdown' ? '- ' : '  ';
  const render = format === 'markdown' ? markdown : plain;
  const added = m.addedP50Ms;
  const mem = m.memory;
  return [
    `throughput ${m.mode} (${describeMode(m)}): refundhub and the reference, each on a fresh database, against one sandbox process`,
    '',
    ...render(modeTable(m)),
    '',
    ...(m.roundRatios
      ? [
          `${bullet}c=${m.api.throughput.concurrency} rounds, alternating: refundhub ${m.api.throughput.rounds.join(', ')}/s; ` +
            `reference ${m.reference.throughput.rounds.join(', ')}/s; ratios ${m.roundRatios.map((r) => r.toFixed(2)).join(', ')} ` +
            `(the table: the median round, the median ratio)`,
        ]
      : []),
    `${bullet}CPU per refund at c=${m.api.throughput.concurrency}: refundhub ${fixed(m.api.throughput.cpuMsPerRequest, 3)} ms ` +
      `(main thread ${fixed(m.api.throughput.mainCpuMsPerRequest, 3)}), the reference ${fixed(m.reference.throughput.cpuMsPerRequest, 3)} ms ` +
      `(main thread ${fixed(m.reference.throughput.mainCpuMsPerRequest, 3)})` +
      (m.api.throughput.serverCpuMsPerRequest === null || m.api.throughput.serverCpuMsPerRequest === undefined
        ? ''
        : `; PostgreSQL's backends ${fixed(m.api.throughput.serverCpuMsPerRequest, 3)} and ${fixed(m.reference.throughput.serverCpuMsPerRequest, 3)} ms`),
    `${bullet}added p50 over the direct call at c=1: refundhub ${fixed(added.api, 2)} ms (${ratio(added.api, added.reference)} the reference's ${fixed(added.reference, 2)} ms)`,
    `${bullet}peak RSS after the c=${m.api.throughput.concurrency} run: refundhub ${fixed(mem.apiPeakRssMiB)} MiB (${ratio(mem.apiPeakRssMiB, mem.referencePeakRssMiB)} the reference's ${fixed(mem.referencePeakRssMiB)} MiB)`,
    ...m.targets.map(
      (t) =>
        `${bullet}target ${t.name}: ${t.kind === 'min' ? '>=' : '<='} ${t.limit} ${t.unit}, ` +
        `got ${fixed(t.value, t.unit === '×' ? 2 : 1)} ${t.unit}: ${describeTarget(t)}`,
    ),
  ];
}

/** Every mode's table and target lines, `format` 'plain' or 'markdown'. */
function throughputLines(throughput, format) {
  const s = throughput.settings;
  const lines = [
    `throughput: ${s.rounds ?? 1} × ${s.requests} measured POST /refunds per server at c=${s.concurrency} after ${s.warmup} unmeasured, ` +
      `then ${s.latencyRequests} at c=1; each refund on a paid order of its own; × ref = refundhub / the reference`,
  ];
  for (const m of throughput.modes) lines.push('', ...modeLines(m, format));
  return lines;
}

module.exports = { throughputLines };

'use strict';
/** The sync-fleet scenario's two tables, on stdout and as Markdown; nothing here measures anything. */

const fixed = (value, digits = 1) =>
  value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);
const list = (values, digits) => values.map((v) => fixed(v, digits)).join(' / ');
const percent = (value) => (value === null || value === undefined ? '-' : `${Math.round(value * 100)}%`);

function syncTable(rows) {
  const header = [
    'db',
    'instances',
    'refunds',
    'syncs',
    's',
    'syncs/s',
    'gateway alone /s',
    'split',
    'instance loop',
    'instance cores',
    'instances ms/sync',
    'pg ms/sync',
    'pg cores',
    'gateway cores',
    'host busy',
    'others cores',
  ];
  const body = rows.map((r) =>
    r.notRun
      ? [r.dialect, String(r.instances), `NOT RUN: ${r.notRun}`]
      : [
          r.dialect,
          String(r.instances),
          String(r.refunds),
          String(r.syncs),
          fixed(r.seconds),
          fixed(r.perSecond),
          fixed(r.reference.perSecond, 0),
          Object.keys(r.byInstance)
            .sort()
            .map((name) => r.byInstance[name])
            .join(' / '),
          list(r.instanceLoopUtilization, 2),
          list(r.instanceCpuCores, 2),
          fixed(r.instanceCpuMsPerSync, 2),
          fixed(r.postgresCpuMsPerSync, 2),
          fixed(r.postgresCpuCores, 2),
          fixed(r.gatewayCpuCores, 2),
          percent(r.machineCpuBusy),
          fixed(r.otherCpuCores, 2),
        ],
  );
  return { header, rows: body };
}

function claimTable(rows) {
  const header = [
    'db',
    'rows',
    'due',
    'claim p50 ms',
    'p95 ms',
    'max ms',
    'bare tx p50 ms',
    'claim / bare',
    'x smallest',
    'rows written s',
  ];
  const body = rows.map((r) => [
    r.dialect,
    String(r.rows),
    String(r.due),
    fixed(r.claimMs.p50, 2),
    fixed(r.claimMs.p95, 2),
    fixed(r.claimMs.max, 2),
    fixed(r.referenceMs.p50, 2),
    fixed(r.claimMs.p50 / r.referenceMs.p50, 1),
    r.ratioToSmallest === undefined ? '' : `x${fixed(r.ratioToSmallest, 2)}`,
    fixed(r.insertSeconds),
  ]);
  return { header, rows: body };
}

function plain({ header, rows }) {
  const full = rows.filter((r) => r.length === header.length);
  const widths = header.map((h, i) => Math.max(h.length, ...full.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => (r.length === header.length ? line(r) : r.join('  '))),
  ];
}

function markdown({ header, rows }) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${[...r, ...Array(header.length - r.length).fill('')].join(' | ')} |`),
  ];
}

/** What the fleet's settings were, in one line. */
function settingsLine(fleet) {
  const s = fleet.settings;
  return (
    `sync-fleet: ${s.refunds} due refunds, ${s.processingAnswers} PROCESSING answer(s) before SUCCEEDED, ` +
    `batch ${s.batchSize}, ${s.concurrency} in flight per instance, gateway holds each answer ${s.gatewayHoldMs} ms; ` +
    `claims: ${s.claimDue} due + ${s.claimWaiting} waiting, the rest final, ${s.claimSamples} samples`
  );
}

function fleetLines(fleet, format) {
  const render = format === 'markdown' ? markdown : plain;
  const lines = [settingsLine(fleet), ''];
  if (fleet.sync.length) lines.push(...render(syncTable(fleet.sync)), '');
  if (fleet.claims.length) lines.push(...render(claimTable(fleet.claims)), '');
  for (const claim of fleet.claims) {
    lines.push(`${claim.dialect} ${claim.rows} rows, plan of the claim's statement:`);
    lines.push(...(format === 'markdown' ? ['```', ...claim.plan, '```'] : claim.plan.map((l) => `  ${l}`)));
  }
  return lines;
}

module.exports = { fleetLines };

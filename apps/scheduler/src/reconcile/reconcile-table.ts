import Table from 'cli-table3';

import type { ReconcileAction, ReconcileReport, ReconcileRow } from '@refundhub/core';

const ACTION_LABELS: Record<ReconcileAction, string> = {
  none: '',
  would_correct: 'would correct (--apply)',
  corrected: 'corrected',
  busy: 'left to its sync (busy)',
  left_for_person: 'left for a person',
  query_failed: 'query failed',
};

/** Long gateway messages stay in the JSON output; the table shows their start. */
const DETAIL_WIDTH = 48;

/** The refunds that did not match, one line each, for a terminal. */
export function reconcileTable(report: ReconcileReport): string {
  const table = new Table({
    head: ['Refund', 'Refund no', 'Gateway', 'Local', 'Gateway says', 'Amount (fen)', 'Classification', 'Done', 'Why'],
    // Plain text: the table is as readable in a file, a pipe or a mail as on a terminal.
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of report.rows) table.push(cellsOf(row));
  return table.toString();
}

/** One line that says what the run found and did. */
export function reconcileSummary(report: ReconcileReport): string {
  const { counts } = report;
  const scope = report.gateway === null ? 'all gateways' : report.gateway;
  const fixed = report.applied ? `${counts.corrected} corrected` : 'read-only: --apply corrects them';
  return (
    `Compared ${counts.total} refunds created ${report.window.from} to ${report.window.to} (${scope}): ` +
    `${counts.match} match, ${counts.fixable} fixable (${fixed}), ${counts.needs_person} for a person, ` +
    `${counts.unknown} unknown`
  );
}

function cellsOf(row: ReconcileRow): string[] {
  const gatewaySays =
    row.gatewayRawStatus === null ? row.gatewayStatus : `${row.gatewayStatus} (${row.gatewayRawStatus})`;
  const local = row.statusAfter === row.localStatus ? row.localStatus : `${row.localStatus} -> ${row.statusAfter}`;
  const detail = row.detail.length > DETAIL_WIDTH ? `${row.detail.slice(0, DETAIL_WIDTH - 1)}…` : row.detail;
  return [
    row.refundId,
    row.refundNo,
    row.gateway,
    local,
    gatewaySays,
    String(row.amount),
    row.classification,
    ACTION_LABELS[row.action],
    detail,
  ];
}

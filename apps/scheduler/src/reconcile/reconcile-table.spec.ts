import type { ReconcileReport } from '@refundhub/core';

import { reconcileSummary, reconcileTable } from './reconcile-table';

const report: ReconcileReport = {
  window: { from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' },
  gateway: 'leshua',
  applied: true,
  counts: { total: 120, match: 117, fixable: 1, needs_person: 1, unknown: 1, corrected: 1 },
  rows: [
    {
      refundId: 'rf_1',
      refundNo: 'R1',
      gateway: 'leshua',
      merchantId: '0000000018',
      amount: 100,
      localStatus: 'PROCESSING',
      gatewayStatus: 'succeeded',
      gatewayRawStatus: '11',
      classification: 'fixable',
      action: 'corrected',
      statusAfter: 'SUCCEEDED',
      detail: 'PROCESSING here, SUCCEEDED at the gateway',
    },
    {
      refundId: 'rf_2',
      refundNo: 'R2',
      gateway: 'leshua',
      merchantId: '0000000018',
      amount: 2500,
      localStatus: 'UNKNOWN',
      gatewayStatus: 'unknown',
      gatewayRawStatus: null,
      classification: 'unknown',
      action: 'query_failed',
      statusAfter: 'UNKNOWN',
      detail: `TIMEOUT: ${'no answer through the gateway port within 10000 ms '.repeat(3)}`,
    },
  ],
};

describe(reconcileTable.name, () => {
  it('shows a corrected refund with its new status and cuts long reasons', () => {
    const lines = reconcileTable(report).split('\n');
    expect(lines.find((line) => line.includes('rf_1'))).toMatch(
      /rf_1 .*R1 .*leshua .*PROCESSING -> SUCCEEDED .*succeeded \(11\) .*100 .*fixable .*corrected/,
    );
    const unknown = lines.find((line) => line.includes('rf_2')) ?? '';
    expect(unknown).toMatch(/UNKNOWN .*unknown .*2500 .*unknown .*query failed .*TIMEOUT: no answer/);
    expect(unknown).toContain('…');
    // Plain text, for a file or a pipe as much as a terminal.
    expect(reconcileTable(report)).not.toContain('\u001b[');
  });
});

describe(reconcileSummary.name, () => {
  it('counts every class and what was corrected', () => {
    expect(reconcileSummary(report)).toBe(
      'Compared 120 refunds created 2026-10-31T16:00:00.000Z to 2026-11-30T16:00:00.000Z (leshua): ' +
        '117 match, 1 fixable (1 corrected), 1 for a person, 1 unknown',
    );
  });
});

import { MikroORM } from '@mikro-orm/core';

import { Refund, RefundHistoryView, ReconcileReport, RefundView } from '@refundhub/core';

import { runReconcileCli } from '../apps/scheduler/src/reconcile/run-reconcile';
import { MERCHANT, refundBody } from './support/api-harness';
import { describeWithDialect } from './support/databases';
import {
  CapturedStream,
  loadedReconcileConfig,
  reconcileOperatorFile,
  runReconcileProcess,
} from './support/reconcile-cli';
import { SharedDatabaseApi, startApiOnSharedDatabase } from './support/shared-database-hosts';

/**
 * `npm run reconcile` next to the API on one SQLite file, against the API's Leshua sandbox (a real
 * HTTP server). Three refunds, all PROCESSING when created: RFIX the sandbox has since refunded
 * (safe to correct), RFINAL the sandbox has failed while refundhub holds it SUCCEEDED (never
 * corrected), RBUSY still in progress on both sides. No notification reaches the API, so every
 * change below is the command's doing. The tests run in order: read-only first, then --apply.
 */
describeWithDialect('sqlite', 'npm run reconcile', () => {
  let api: SharedDatabaseApi;
  let file: Record<string, unknown>;
  let window: string[];
  const ids: Record<string, string> = {};

  const get = async (id: string) => (await api.call<RefundView>('GET', `/refunds/${id}`)).body;
  const history = async (id: string) =>
    (await api.call<{ items: RefundHistoryView[] }>('GET', `/refunds/${id}/history`)).body.items;
  /** The refund's `refund.succeeded` events in the shared outbox, whichever process wrote them. */
  const outboxRows = async (refundId: string) => {
    const rows: { n: number | string }[] = await api.app
      .get(MikroORM)
      .em.fork()
      .getConnection()
      .execute('select count(*) as n from refund_outbox where refund_id = ? and name = ?', [
        refundId,
        'refund.succeeded',
      ]);
    return Number(rows[0].n);
  };
  const runInProcess = async (args: string[], stderr = new CapturedStream()) => {
    const stdout = new CapturedStream();
    const code = await runReconcileCli({ argv: args, stdout, stderr, loadConfig: () => loadedReconcileConfig(file) });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  beforeAll(async () => {
    api = await startApiOnSharedDatabase({ notifications: false });
    file = reconcileOperatorFile(api);
    const now = Date.now();
    window = ['--from', new Date(now - 3_600_000).toISOString(), '--to', new Date(now + 3_600_000).toISOString()];
    for (const refundNo of ['RFIX', 'RFINAL', 'RBUSY']) {
      const created = await api.call<RefundView>('POST', '/refunds', refundBody({ refundNo, amount: 100 }));
      expect(created.body).toMatchObject({ status: 'PROCESSING' });
      ids[refundNo] = created.body.id;
    }
    api.sandbox.complete(MERCHANT, 'RFIX', 'success');
    api.sandbox.complete(MERCHANT, 'RFINAL', 'fail', '原路退回失败');
    api.sandbox.planRefund('RBUSY', { outcome: 'success', afterQueries: 100 });
    // refundhub believes RFINAL succeeded (as a lost failure notification's replay might never correct).
    const updated = await api.app
      .get(MikroORM)
      .em.fork()
      .nativeUpdate(Refund, { id: ids['RFINAL'] }, { status: 'SUCCEEDED', finishedAt: new Date(), nextSyncAt: null });
    expect(updated).toBe(1);
  });

  afterAll(async () => {
    try {
      await api?.close();
    } finally {
      await api?.dropDatabase();
    }
  });

  it('without --apply reports both mismatches as JSON, exits 1, and changes nothing', async () => {
    const before = await history(ids['RFIX']);

    const run = await runInProcess([...window, '--gateway', 'leshua', '--json']);

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ReconcileReport;
    expect(report).toMatchObject({
      window: { from: window[1], to: window[3] },
      gateway: 'leshua',
      applied: false,
      counts: { total: 3, match: 1, fixable: 1, needs_person: 1, unknown: 0, corrected: 0 },
    });
    expect(report.rows).toEqual([
      {
        refundId: ids['RFIX'],
        refundNo: 'RFIX',
        gateway: 'leshua',
        merchantId: MERCHANT,
        amount: 100,
        localStatus: 'PROCESSING',
        gatewayStatus: 'succeeded',
        gatewayRawStatus: '11',
        classification: 'fixable',
        action: 'would_correct',
        statusAfter: 'PROCESSING',
        detail: 'PROCESSING here, SUCCEEDED at the gateway',
      },
      expect.objectContaining({
        refundId: ids['RFINAL'],
        localStatus: 'SUCCEEDED',
        gatewayStatus: 'failed',
        gatewayRawStatus: '12',
        classification: 'needs_person',
        action: 'left_for_person',
        statusAfter: 'SUCCEEDED',
      }),
    ]);
    expect(await get(ids['RFIX'])).toMatchObject({ status: 'PROCESSING', order: { refundedAmount: 0 } });
    expect(await history(ids['RFIX'])).toEqual(before);
    expect(await outboxRows(ids['RFIX'])).toBe(0);
    // stderr is no terminal here: no progress bar, and nothing else to say.
    expect(run.stderr).toBe('');
  });

  it('draws a table and a summary for a person, and a progress bar on a terminal', async () => {
    const terminal = new CapturedStream(true);

    const run = await runInProcess(window, terminal);

    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.find((line) => line.includes('RFIX'))).toEqual(
      expect.stringMatching(/RFIX.*leshua.*PROCESSING.*succeeded \(11\).*100.*fixable.*would correct/),
    );
    expect(lines.find((line) => line.includes('RFINAL'))).toEqual(
      expect.stringMatching(/RFINAL.*SUCCEEDED.*failed \(12\).*needs_person.*left for a person/),
    );
    expect(run.stdout).not.toContain('RBUSY');
    expect(lines[lines.length - 1]).toBe(
      `Compared 3 refunds created ${window[1]} to ${window[3]} (all gateways): 1 match, 1 fixable ` +
        '(read-only: --apply corrects them), 1 for a person, 0 unknown',
    );
    expect(terminal.text).toContain('3/3 refunds');
  });

  it('refuses a bad command line or an unconfigured gateway with exit code 2 before asking anyone', async () => {
    const queries = api.sandbox.requests().length;

    const backwards = await runInProcess(['--from', '2026-12-01', '--to', '2026-11-01']);
    expect(backwards).toMatchObject({ code: 2, stdout: '' });
    expect(backwards.stderr).toContain('reconcile: --from must be before --to (--to is exclusive)');
    expect(backwards.stderr).toContain('Usage: npm run reconcile');

    const umf = await runInProcess([...window, '--gateway', 'umf']);
    expect(umf).toMatchObject({ code: 2, stdout: '' });
    expect(umf.stderr).toContain("--gateway 'umf' is not configured");
    expect(api.sandbox.requests()).toHaveLength(queries);
  });

  it('with --apply (the command in a process of its own) corrects the safe one and leaves the other for a person', async () => {
    const run = await runReconcileProcess(file, [...window, '--apply', '--json']);

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: '' });
    const report = JSON.parse(run.stdout) as ReconcileReport;
    expect(report).toMatchObject({
      gateway: null,
      applied: true,
      counts: { total: 3, match: 1, fixable: 1, needs_person: 1, unknown: 0, corrected: 1 },
    });
    expect(report.rows.map((row) => [row.refundNo, row.classification, row.action, row.statusAfter])).toEqual([
      ['RFIX', 'fixable', 'corrected', 'SUCCEEDED'],
      ['RFINAL', 'needs_person', 'left_for_person', 'SUCCEEDED'],
    ]);

    expect(await get(ids['RFIX'])).toMatchObject({
      status: 'SUCCEEDED',
      gatewayStatus: '11',
      order: { refundedAmount: 100 },
    });
    const rows = await history(ids['RFIX']);
    expect(rows[rows.length - 1]).toMatchObject({
      from: 'PROCESSING',
      to: 'SUCCEEDED',
      source: 'reconcile',
      applied: true,
    });
    expect(await outboxRows(ids['RFIX'])).toBe(1);
    // Final is final: the contradicted refund is as it was, and nothing was said about it.
    expect(await get(ids['RFINAL'])).toMatchObject({ status: 'SUCCEEDED' });
    expect((await history(ids['RFINAL'])).map((row) => row.source)).not.toContain('reconcile');
    expect(await outboxRows(ids['RFINAL'])).toBe(0);

    // Nothing is left to correct; what needs a person still does.
    const again = await runInProcess([...window, '--apply', '--json']);
    expect(again.code).toBe(1);
    expect((JSON.parse(again.stdout) as ReconcileReport).counts).toMatchObject({
      match: 2,
      needs_person: 1,
      corrected: 0,
    });
  });

  it('when the gateway answers 5xx, reports every refund unknown, exits 1 and changes nothing', async () => {
    const before = await Promise.all(Object.values(ids).map(get));
    api.sandbox.failNext('5xx', { service: 'unified_query_refund', times: 3 });

    const run = await runInProcess([...window, '--apply', '--json']);

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ReconcileReport;
    expect(report.counts).toMatchObject({ total: 3, unknown: 3, corrected: 0 });
    expect(report.rows.map((row) => [row.classification, row.action, row.gatewayStatus])).toEqual([
      ['unknown', 'query_failed', 'unknown'],
      ['unknown', 'query_failed', 'unknown'],
      ['unknown', 'query_failed', 'unknown'],
    ]);
    expect(report.rows[0].detail).toMatch(/^HTTP_5XX: /);
    expect(await Promise.all(Object.values(ids).map(get))).toEqual(before);
  });
});

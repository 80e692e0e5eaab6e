import { RefundHistory } from '../../entities/refund-history.entity';
import { RefundOutbox } from '../../entities/refund-outbox.entity';
import { Refund } from '../../entities/refund.entity';
import { RefundSucceededEvent } from '../../events';
import type { GatewayQueryOutcome, GatewayRefundQuery } from '../../gateway/refund-gateway.port';
import { RefundReconciler } from '../../reconcile/refund-reconciler';
import type { ReconcileProgress } from '../../reconcile/reconcile.types';
import { RefundClaims } from '../../refund/refund-claims';
import type { RefundSyncOptions } from '../../refund-module.options';
import { FakeGateway, Scripted } from '../fake-gateway';
import { CoreHarness, createCoreHarness } from './core-harness';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

const HOUR = 3_600_000;
const SUCCEEDED: GatewayQueryOutcome = { kind: 'succeeded', rawStatus: 'DONE' };
const FAILED: GatewayQueryOutcome = { kind: 'failed', rawStatus: 'REFUSED', code: 'NO_BALANCE', message: 'refused' };

/** Query answers by refund number, whatever order the reconciler asks in; anything else: still processing. */
function answersByRefundNo(
  count: number,
  answers: Record<string, GatewayQueryOutcome>,
): Scripted<GatewayQueryOutcome, GatewayRefundQuery>[] {
  return Array.from(
    { length: count },
    () =>
      async ({ request }: { request: GatewayRefundQuery }) =>
        answers[request.refundNo] ?? { kind: 'processing', rawStatus: 'ACCEPTED' },
  );
}

/** RefundReconciler: compares a window of refunds with the gateway, on a real database of the given dialect. */
export function reconcileSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundReconciler', () => {
    let db: TestDatabase;
    let h: CoreHarness;
    let sut: RefundReconciler;

    const start = async (gateway: FakeGateway, sync?: RefundSyncOptions) => {
      db = await createTestDatabase(dialect);
      h = await createCoreHarness(db.options, { gateway, sync });
      sut = h.app.get(RefundReconciler);
    };
    const wholeDay = () => {
      const now = h.clock.now().getTime();
      return { from: new Date(now - 24 * HOUR), to: new Date(now + HOUR) };
    };

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    /** R1 PROCESSING (gateway: succeeded), R2 SUCCEEDED (gateway: failed), R3 PROCESSING (both), R4 PROCESSING (timeout). */
    const seedMismatches = async (gateway: FakeGateway) => {
      gateway.onSubmit(
        { kind: 'processing', rawStatus: 'ACCEPTED' },
        { kind: 'succeeded', rawStatus: 'DONE' },
        { kind: 'processing', rawStatus: 'ACCEPTED' },
        { kind: 'processing', rawStatus: 'ACCEPTED' },
      );
      const ids: string[] = [];
      for (const refundNo of ['R1', 'R2', 'R3', 'R4']) {
        const { refund } = await h.refunds.request(
          command({ refundNo, amount: 50, order: { merchantOrderNo: `T-${refundNo}`, totalAmount: 300 } }),
        );
        ids.push(refund.id);
        // Ids are time-ordered to the millisecond: one step apart, the rows come back in this order.
        h.clock.advance(1_000);
      }
      h.clock.advance(2 * HOUR);
      gateway.onQuery(
        ...answersByRefundNo(4, {
          R1: SUCCEEDED,
          R2: FAILED,
          R4: { kind: 'unknown', reason: 'timeout', detail: 'no answer within 10000 ms' },
        }),
      );
      return ids;
    };

    it('reports without --apply and changes nothing', async () => {
      const gateway = new FakeGateway('fake');
      await start(gateway);
      const [r1, r2, , r4] = await seedMismatches(gateway);
      const eventsBefore = h.events.length;
      const progress: ReconcileProgress[] = [];

      const report = await sut.run({ ...wholeDay(), onProgress: (p) => progress.push(p) });

      expect(report.applied).toBe(false);
      expect(report.counts).toEqual({ total: 4, match: 1, fixable: 1, needs_person: 1, unknown: 1, corrected: 0 });
      expect(report.rows.map((row) => [row.refundId, row.classification, row.action, row.statusAfter])).toEqual([
        [r1, 'fixable', 'would_correct', 'PROCESSING'],
        [r2, 'needs_person', 'left_for_person', 'SUCCEEDED'],
        [r4, 'unknown', 'query_failed', 'PROCESSING'],
      ]);
      expect(report.rows[1]).toMatchObject({
        refundNo: 'R2',
        gateway: 'fake',
        amount: 50,
        localStatus: 'SUCCEEDED',
        gatewayStatus: 'failed',
        gatewayRawStatus: 'REFUSED',
      });
      expect(progress[0]).toEqual({ done: 0, total: 4 });
      expect(progress[progress.length - 1]).toEqual({ done: 4, total: 4 });
      expect(await h.refunds.get(r1)).toMatchObject({ status: 'PROCESSING', order: { refundedAmount: 0 } });
      expect(h.events.length).toBe(eventsBefore);
    });

    it('with apply corrects the fixable refund like a sync, and leaves the final one for a person', async () => {
      const gateway = new FakeGateway('fake');
      await start(gateway);
      const [r1, r2] = await seedMismatches(gateway);

      const report = await sut.run({ ...wholeDay(), apply: true });

      expect(report.counts).toMatchObject({ fixable: 1, needs_person: 1, unknown: 1, corrected: 1 });
      expect(report.rows[0]).toMatchObject({
        refundId: r1,
        action: 'corrected',
        localStatus: 'PROCESSING',
        statusAfter: 'SUCCEEDED',
      });
      expect(report.rows[1]).toMatchObject({ refundId: r2, action: 'left_for_person', statusAfter: 'SUCCEEDED' });
      expect(await h.refunds.get(r1)).toMatchObject({
        status: 'SUCCEEDED',
        gatewayStatus: 'DONE',
        order: { refundedAmount: 50, reservedAmount: 50 },
      });
      const history = await h.refunds.history(r1);
      expect(history[history.length - 1]).toMatchObject({
        from: 'PROCESSING',
        to: 'SUCCEEDED',
        source: 'reconcile',
        applied: true,
      });
      const succeeded = h.events.filter((e) => e instanceof RefundSucceededEvent && e.refund.refundId === r1);
      expect(succeeded).toHaveLength(1);
      const em = h.orm.em.fork();
      expect(await em.count(RefundOutbox, { refundId: r1, name: 'refund.succeeded' })).toBe(1);
      expect(await em.findOneOrFail(Refund, r1)).toMatchObject({ leaseOwner: null, nextSyncAt: null });
      // Final is final: the refund the gateway contradicts is exactly as it was, with no row about it.
      expect(await h.refunds.get(r2)).toMatchObject({ status: 'SUCCEEDED', order: { refundedAmount: 50 } });
      expect(await em.count(RefundHistory, { refund: r2, source: 'reconcile' })).toBe(0);

      // A second run finds nothing left to correct.
      gateway.onQuery(...answersByRefundNo(4, { R1: SUCCEEDED, R2: FAILED }));
      const again = await sut.run({ ...wholeDay(), apply: true });
      expect(again.counts).toMatchObject({ match: 3, fixable: 0, needs_person: 1, unknown: 0, corrected: 0 });
    });

    it('pages through the window only, of one gateway, and counts what it read', async () => {
      const gateway = new FakeGateway('fake');
      await start(gateway);
      const from = h.clock.now();
      const ids: string[] = [];
      for (let i = 1; i <= 7; i += 1) {
        const { refund } = await h.refunds.request(command({ refundNo: `W${i}`, amount: 10 }));
        ids.push(refund.id);
        h.clock.advance(HOUR);
      }
      // W1..W5 are in [from, from + 5 h); W6 and W7 are not.
      gateway.onQuery(...answersByRefundNo(5, { W2: SUCCEEDED, W5: FAILED }));
      const progress: ReconcileProgress[] = [];

      const report = await sut.run({
        from,
        to: new Date(from.getTime() + 5 * HOUR),
        gateway: 'fake',
        pageSize: 2,
        onProgress: (p) => progress.push(p),
      });

      expect(gateway.queried.map((q) => q.refundNo).sort()).toEqual(['W1', 'W2', 'W3', 'W4', 'W5']);
      expect(report.counts).toMatchObject({ total: 5, match: 3, fixable: 2 });
      expect(report.rows.map((row) => row.refundId)).toEqual([ids[1], ids[4]]);
      expect(progress.map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(progress.every((p) => p.total === 5)).toBe(true);

      const none = await sut.run({ from, to: new Date(from.getTime() + 5 * HOUR), gateway: 'other' });
      expect(none.counts.total).toBe(0);
    });

    it('tells a refund the gateway lost from one that has not arrived yet', async () => {
      const gateway = new FakeGateway('fake');
      await start(gateway, { requestedGraceMs: HOUR });
      const notFound: GatewayQueryOutcome = { kind: 'not_found', code: 'NO_SUCH_REFUND', message: 'refund not found' };
      await h.refunds.request(command({ refundNo: 'OLD' }));
      h.clock.advance(2 * HOUR);
      await h.refunds.request(command({ refundNo: 'NEW' }));
      gateway.onQuery(...answersByRefundNo(2, { OLD: notFound, NEW: notFound }));

      const report = await sut.run({ ...wholeDay(), apply: true });

      expect(report.rows).toEqual([
        expect.objectContaining({
          refundNo: 'OLD',
          classification: 'needs_person',
          gatewayStatus: 'not_found',
          statusAfter: 'PROCESSING',
        }),
      ]);
      expect(report.counts).toMatchObject({ match: 1, needs_person: 1 });
      // Nothing was resubmitted: reconciliation only asks.
      expect(gateway.submitted.map((s) => s.refundNo)).toEqual(['OLD', 'NEW']);
    });

    it('leaves a refund another process holds to that process', async () => {
      const gateway = new FakeGateway('fake');
      await start(gateway);
      const { refund } = await h.refunds.request(command());
      const lease = await h.app.get(RefundClaims).claim(refund.id);
      expect(lease).not.toBeNull();
      gateway.onQuery(SUCCEEDED);

      const report = await sut.run({ ...wholeDay(), apply: true });

      expect(report.rows).toEqual([
        expect.objectContaining({ classification: 'fixable', action: 'busy', statusAfter: 'PROCESSING' }),
      ]);
      expect(await h.refunds.get(refund.id)).toMatchObject({ status: 'PROCESSING' });
    });

    it('judges again a refund that a notification settled while the gateway was being asked', async () => {
      const gateway = new FakeGateway('fake');
      await start(gateway);
      const { refund } = await h.refunds.request(command());
      gateway.onQuery(async () => {
        const body = { merchantId: 'm1', refundNo: 'R1', status: 'failed', sign: 'valid' };
        await h.refunds.handleNotification('fake', {
          rawBody: Buffer.from(JSON.stringify(body)),
          contentType: 'application/json',
          headers: {},
        });
        return SUCCEEDED;
      });

      const report = await sut.run({ ...wholeDay(), apply: true });

      expect(report.rows).toEqual([
        expect.objectContaining({
          localStatus: 'PROCESSING',
          statusAfter: 'FAILED',
          classification: 'needs_person',
          action: 'left_for_person',
          detail: 'settled FAILED meanwhile; FAILED here, SUCCEEDED at the gateway; final is final',
        }),
      ]);
      expect(await h.refunds.get(refund.id)).toMatchObject({ status: 'FAILED', order: { refundedAmount: 0 } });
    });

    it("keeps to the merchants' rate limits the sync uses", async () => {
      const gateway = new FakeGateway('fake');
      await start(gateway, { rateLimitPerSecond: { fake: { m1: 1 } } });
      for (const refundNo of ['L1', 'L2', 'L3']) await h.refunds.request(command({ refundNo, amount: 10 }));
      const askedAt: number[] = [];
      gateway.onQuery(
        ...Array.from({ length: 3 }, () => async () => {
          askedAt.push(h.clock.now().getTime());
          return { kind: 'processing', rawStatus: 'ACCEPTED' } as GatewayQueryOutcome;
        }),
      );
      let paused = 0;

      const report = await sut.run({
        ...wholeDay(),
        pause: async (ms) => {
          paused += ms;
          h.clock.advance(ms);
        },
      });

      expect(report.counts).toMatchObject({ total: 3, match: 3 });
      // One query a second: the second and third waited for their tokens.
      expect(askedAt[2] - askedAt[0]).toBeGreaterThanOrEqual(2_000);
      expect(paused).toBeGreaterThanOrEqual(2_000);
    });
  });
}

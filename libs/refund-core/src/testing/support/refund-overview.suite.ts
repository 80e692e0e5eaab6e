import { RefundOverviewService } from '../../refund/refund-overview';
import { FakeGateway } from '../fake-gateway';
import { CoreHarness, createCoreHarness } from './core-harness';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

/** The overview's figures, read with its own statements from a real database. */
export function refundOverviewSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundOverviewService', () => {
    let db: TestDatabase;
    let h: CoreHarness;
    let gateway: FakeGateway;
    let sut: RefundOverviewService;

    beforeEach(async () => {
      db = await createTestDatabase(dialect);
      gateway = new FakeGateway('fake');
      h = await createCoreHarness(db.options, { gateway });
      sut = h.app.get(RefundOverviewService);
    });

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    it('counts by status and attention reason, and finds the oldest unfinished refund by the clock', async () => {
      gateway.onSubmit(
        { kind: 'succeeded', rawStatus: 'DONE' },
        { kind: 'unknown', reason: 'timeout', detail: 'no answer' },
        { kind: 'needs_attention', reason: 'gateway_change', rawStatus: 'CHANGE', message: 'manual payout' },
        { kind: 'failed', code: 'REFUSED', message: 'refused' },
      );
      await h.refunds.request(command({ refundNo: 'R1', amount: 10 }));
      h.clock.advance(60_000);
      const unknown = (await h.refunds.request(command({ refundNo: 'R2', amount: 10 }))).refund;
      h.clock.advance(60_000);
      await h.refunds.request(command({ refundNo: 'R3', amount: 10 }));
      await h.refunds.request(command({ refundNo: 'R4', amount: 10 }));
      await h.refunds.request(command({ refundNo: 'R5', amount: 10, merchantId: 'm2' }));
      h.clock.advance(90_500);

      const all = await sut.overview('*', { outbox: true });
      expect(all.at).toBe(h.clock.now().toISOString());
      expect(all.gateways).toEqual([
        {
          gateway: 'fake',
          total: 5,
          byStatus: { REQUESTED: 0, PROCESSING: 2, UNKNOWN: 1, SUCCEEDED: 1, FAILED: 1 },
          needsAttention: {
            total: 1,
            byReason: { gateway_change: 1, sync_exhausted: 0, gateway_lost_refund: 0, order_reference_conflict: 0 },
          },
          oldestUnfinished: { id: unknown.id, createdAt: unknown.createdAt, ageSeconds: 150 },
        },
      ]);
      expect(all.outbox).toEqual({ pending: expect.any(Number), failing: 0, poisoned: 0 });

      const m2 = await sut.overview(['fake:m2'], { outbox: false });
      expect(m2.gateways).toEqual([
        expect.objectContaining({
          total: 1,
          byStatus: { REQUESTED: 0, PROCESSING: 1, UNKNOWN: 0, SUCCEEDED: 0, FAILED: 0 },
          needsAttention: expect.objectContaining({ total: 0 }),
        }),
      ]);
      expect(m2.gateways[0].oldestUnfinished?.ageSeconds).toBe(90);
      expect(m2.outbox).toBeNull();
      expect((await sut.overview([], { outbox: false })).gateways).toEqual([]);
      expect((await sut.overview(['fake:nobody'], { outbox: false })).webhooks).toEqual({ givenUp: 0, failing: 0 });
    });
  });
}

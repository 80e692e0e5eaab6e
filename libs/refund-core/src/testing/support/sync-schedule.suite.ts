import { Refund } from '../../entities/refund.entity';
import { RefundNeedsAttentionEvent, RefundSucceededEvent } from '../../events';
import type { RefundSyncOptions } from '../../refund-module.options';
import { CoreHarness, createCoreHarness } from './core-harness';
import { FakeGateway } from '../fake-gateway';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

/** When the sync loop asks about a refund, and what happens when the gateway never settles it. */
export function syncScheduleSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'sync schedule', () => {
    let db: TestDatabase;
    let h: CoreHarness;

    const start = async (sync: RefundSyncOptions, gateway = new FakeGateway('fake')) => {
      db = await createTestDatabase(dialect);
      h = await createCoreHarness(db.options, { gateway, sync: { jitter: 0, ...sync } });
    };
    const row = (id: string) => h.orm.em.fork().findOneOrFail(Refund, id);
    /** Moves the clock to the refund's next sync and runs a round; returns how long it waited. */
    const nextRound = async (id: string): Promise<number> => {
      const { nextSyncAt } = await row(id);
      const waited = nextSyncAt!.getTime() - h.clock.now().getTime();
      h.clock.advance(waited - 1);
      expect(await h.sync.runOnce()).toMatchObject({ due: 0 });
      h.clock.advance(1);
      expect(await h.sync.runOnce()).toMatchObject({ due: 1 });
      return waited;
    };

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    it('asks at the times the schedule gives, then at its last step, until the refund settles', async () => {
      await start({ backoffMs: [1_000, 2_000, 4_000], exhaustAfterMs: 3_600_000 });
      h.gateway.onQuery(...Array.from({ length: 5 }, () => ({ kind: 'processing' as const, rawStatus: 'ACCEPTED' })));
      h.gateway.onQuery({ kind: 'succeeded', rawStatus: 'DONE' });
      const { refund } = await h.refunds.request(command());

      // Accepted on submission: the first query comes after the first step, each next one after the next step.
      const waits = [];
      for (let i = 0; i < 6; i += 1) waits.push(await nextRound(refund.id));
      expect(waits).toEqual([1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
      expect(h.gateway.queried).toHaveLength(6);
      expect(await row(refund.id)).toMatchObject({ status: 'SUCCEEDED', nextSyncAt: null, syncCount: 6 });
    });

    it("uses a gateway's own schedule over the common one", async () => {
      await start({ backoffMs: [1_000], gateways: { fake: { backoffMs: [30_000, 60_000] } } });
      const { refund } = await h.refunds.request(command());
      expect(await nextRound(refund.id)).toBe(30_000);
      expect(await nextRound(refund.id)).toBe(60_000);
      expect(await nextRound(refund.id)).toBe(60_000);
    });

    it('spreads the steps by the jitter, the same for the same refund', async () => {
      await start({ backoffMs: [10_000], jitter: 0.2 });
      const { refund } = await h.refunds.request(command());
      const waited = await nextRound(refund.id);
      expect(waited).toBeGreaterThanOrEqual(8_000);
      expect(waited).toBeLessThanOrEqual(12_000);
    });

    it('rides out a gateway that answers 5xx for a while, then settles the refund', async () => {
      await start({ backoffMs: [1_000, 2_000] });
      const { refund } = await h.refunds.request(command());
      const down = { kind: 'unknown' as const, reason: 'http_5xx' as const, detail: 'HTTP 502' };
      h.gateway.onQuery(down, down, down, { kind: 'succeeded', rawStatus: 'DONE' });
      for (let i = 0; i < 3; i += 1) {
        await nextRound(refund.id);
        expect(await row(refund.id)).toMatchObject({ status: 'PROCESSING' });
      }
      await nextRound(refund.id);
      expect(await row(refund.id)).toMatchObject({ status: 'SUCCEEDED' });
      expect(h.events.filter((e) => e instanceof RefundSucceededEvent)).toHaveLength(1);
    });

    it('flags a refund the gateway never settles, keeps it as it is, and keeps asking at the slowest step', async () => {
      await start({ backoffMs: [1_000, 4_000], exhaustAfterMs: 10_000 });
      const { refund } = await h.refunds.request(command());
      let rounds = 0;
      while ((await row(refund.id)).attentionReason === null) {
        await nextRound(refund.id);
        rounds += 1;
        expect(rounds).toBeLessThan(10);
      }
      const flagged = await row(refund.id);
      expect(flagged).toMatchObject({ status: 'PROCESSING', attentionReason: 'sync_exhausted' });
      expect(h.clock.now().getTime() - flagged.createdAt.getTime()).toBeGreaterThanOrEqual(10_000);
      const attention = h.events.filter((e) => e instanceof RefundNeedsAttentionEvent);
      expect(attention).toHaveLength(1);
      expect(attention[0]).toMatchObject({ reason: 'sync_exhausted' });
      expect((await h.refunds.get(refund.id)).needsAttention).toMatchObject({ reason: 'sync_exhausted' });

      // Still asked, at the slowest step, without a second event; a final answer then settles it.
      expect(await nextRound(refund.id)).toBe(4_000);
      expect(h.events.filter((e) => e instanceof RefundNeedsAttentionEvent)).toHaveLength(1);
      h.gateway.onQuery({ kind: 'succeeded', rawStatus: 'DONE' });
      await nextRound(refund.id);
      expect(await row(refund.id)).toMatchObject({ status: 'SUCCEEDED', attentionReason: null });
    });

    it("holds back a merchant's refunds over its rate limit for a later round", async () => {
      await start({ backoffMs: [1_000], rateLimitPerSecond: { fake: { m1: 2 } }, concurrencyPerGateway: 1 });
      for (let i = 1; i <= 5; i += 1) await h.refunds.request(command({ refundNo: `R${i}`, amount: 10 }));
      h.clock.advance(1_000);

      expect(await h.sync.runOnce()).toMatchObject({ due: 5, limited: 3 });
      expect(h.gateway.queried).toHaveLength(2);
      h.clock.advance(1_000);
      expect(await h.sync.runOnce()).toMatchObject({ due: 5, limited: 3 });
      expect(h.gateway.queried).toHaveLength(4);
    });
  });
}

import { Refund } from '../../entities/refund.entity';
import { RefundHistory } from '../../entities/refund-history.entity';
import { RefundOrder } from '../../entities/refund-order.entity';
import { GatewayRuleRefusalError, NotificationsNotSupportedError } from '../../errors';
import { RefundNeedsAttentionEvent, RefundSucceededEvent } from '../../events';
import type { GatewayOutcome, GatewayRefundRequest } from '../../gateway/refund-gateway.port';
import { ORDER_SLOT_BUSY } from '../../refund/order-slots';
import { RefundTransitions } from '../../refund/refund-transitions';
import { FakeGateway } from '../fake-gateway';
import { CoreHarness, createCoreHarness } from './core-harness';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

/** Lets other work run a few turns of the event loop: long enough for concurrent requests to overlap. */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** What port v2 adds to the core: deferral, needs-attention, rule refusals, optional notifications, serial gateways. */
export function gatewayPortSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundService with gateway port v2', () => {
    let db: TestDatabase;
    let h: CoreHarness;

    const start = async (gateway: FakeGateway) => {
      db = await createTestDatabase(dialect);
      h = await createCoreHarness(db.options, { gateway });
    };
    const history = async (refundId: string) =>
      h.orm.em.fork().find(RefundHistory, { refund: refundId }, { orderBy: { id: 'asc' } });
    const order = () => h.orm.em.fork().findOneOrFail(RefundOrder, { orderRef: 'T1' });
    const gateway = () => h.gateway;

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    it('gives submissions and queries the same snapshot, with the first submission time', async () => {
      const gateway = new FakeGateway('fake').onQuery({ kind: 'processing', rawStatus: 'ACCEPTED' });
      await start(gateway);
      const paidAt = new Date('2026-01-01T02:00:00Z');
      const { refund } = await h.refunds.request(
        command({ order: { merchantOrderNo: 'T1', totalAmount: 300, paidAt, payMethod: 'WECHAT' } }),
      );
      const submittedAt = h.clock.now();
      h.clock.advance(60_000);
      await h.refunds.sync(refund.id);
      const [submitted] = gateway.submitted;
      const [queried] = gateway.queried;
      expect(submitted).toMatchObject({ refundNo: 'R1', amount: 100, submittedAt: null, now: submittedAt, attempt: 1 });
      expect(queried).toMatchObject({
        refundNo: 'R1',
        amount: 100,
        gatewayRefundNo: 'G-R1',
        order: { merchantOrderNo: 'T1', totalAmount: 300, payMethod: 'WECHAT', paidAt },
        submittedAt,
        requestedAt: submittedAt,
        now: h.clock.now(),
      });
    });

    it('keeps a deferred refund reserved in REQUESTED and submits it again, with the same number, without asking first', async () => {
      const gateway = new FakeGateway('fake').onSubmit({
        kind: 'deferred',
        code: 'SYSTEM_BUSY_NOT_CREATED',
        message: 'try again later',
        retryAfterMs: 30_000,
      });
      await start(gateway);
      const { refund } = await h.refunds.request(command());
      expect(refund).toMatchObject({
        status: 'REQUESTED',
        failure: { code: 'SYSTEM_BUSY_NOT_CREATED', message: 'try again later' },
        deferredAt: h.clock.now().toISOString(),
        order: { reservedAmount: 100 },
      });
      h.clock.advance(30_000);
      await expect(h.sync.runOnce()).resolves.toMatchObject({ due: 1 });
      const after = await h.refunds.get(refund.id);
      expect(after).toMatchObject({ status: 'PROCESSING', attempts: 2, deferredAt: null, failure: null });
      expect(gateway.queried).toHaveLength(0);
      expect(gateway.submitted.map((s) => [s.refundNo, s.attempt])).toEqual([
        ['R1', 1],
        ['R1', 2],
      ]);
      expect((await history(refund.id)).map((e) => [e.fromStatus, e.toStatus, e.source, e.code])).toEqual([
        [null, 'REQUESTED', 'request', null],
        ['REQUESTED', 'REQUESTED', 'submit', 'SYSTEM_BUSY_NOT_CREATED'],
        ['REQUESTED', 'PROCESSING', 'resubmit', null],
      ]);
    });

    it.each([
      ['a "not now" from the gateway', { serial: false }],
      ["its order's slot (a serial gateway)", { serial: true }],
    ])(
      'ends the wait for %s as the resubmission goes out, so a process that dies with it out leaves a refund to ask about',
      async (_, options) => {
        const stored = () => h.orm.em.fork().findOneOrFail(Refund, { refundNo: 'R1' });
        const whileOut: Array<Date | null> = [];
        const gateway = new FakeGateway('fake', options).onSubmit(
          { kind: 'deferred', code: 'SYSTEM_BUSY_NOT_CREATED', message: 'try again later', retryAfterMs: 30_000 },
          async () => {
            whileOut.push((await stored()).deferredAt);
            return { kind: 'unknown', reason: 'timeout', detail: 'the process died before the answer' };
          },
        );
        await start(gateway);
        await h.refunds.request(command());
        expect((await stored()).deferredAt).not.toBeNull();
        h.clock.advance(30_000);
        await h.sync.runOnce();

        // While the resubmission was out, the refund no longer said "waiting": a sync after a crash
        // then would ask the gateway first instead of sending the refund again blind.
        expect(whileOut).toEqual([null]);
        expect(gateway.submitted).toHaveLength(2);
        h.clock.advance(60_000);
        await h.sync.runOnce();
        expect(gateway.queried).toHaveLength(1);
        expect(gateway.submitted).toHaveLength(2);
      },
    );

    it('ignores a "not now" that answers a duplicate submission of a refund the gateway already accepted', async () => {
      await start(new FakeGateway('fake'));
      const { refund } = await h.refunds.request(command());
      h.clock.advance(1_000);
      const deferred: GatewayOutcome = { kind: 'deferred', code: 'NOT_SUPPORT_CONCURRENT', message: '请分批次执行' };
      await h.app.get(RefundTransitions).apply(refund.id, deferred, { source: 'resubmit', submission: true });
      const after = await h.refunds.get(refund.id);
      expect(after).toMatchObject({ status: 'PROCESSING', deferredAt: null, failure: null });
      // Still queried, not resubmitted.
      h.clock.advance(60_000);
      await h.sync.runOnce();
      expect(gateway().queried).toHaveLength(1);
      expect(gateway().submitted).toHaveLength(1);
    });

    it('keeps no gateway refund id too long for its column, rather than failing the answer or cutting the id', async () => {
      const gateway = new FakeGateway('fake').onSubmit({
        kind: 'processing',
        rawStatus: 'ACCEPTED',
        gatewayRefundNo: 'G'.repeat(65),
      });
      await start(gateway);
      const { refund } = await h.refunds.request(command());
      expect(refund).toMatchObject({ status: 'PROCESSING', gatewayRefundNo: null });
    });

    it('flags a refund that needs attention, keeps its money, lists it, emits once, and clears it when the gateway settles', async () => {
      const change: GatewayOutcome = {
        kind: 'needs_attention',
        reason: 'gateway_change',
        rawStatus: 'CHANGE',
        message: '转入代发',
      };
      const gateway = new FakeGateway('fake')
        .onSubmit(change)
        .onQuery(change, { kind: 'succeeded', rawStatus: 'SUCCESS' });
      await start(gateway);
      const { refund } = await h.refunds.request(command());
      expect(refund).toMatchObject({
        status: 'PROCESSING',
        gatewayStatus: 'CHANGE',
        needsAttention: { reason: 'gateway_change', since: h.clock.now().toISOString() },
        order: { reservedAmount: 100, refundedAmount: 0 },
      });
      await h.refunds.request(command({ refundNo: 'R2' }));
      const flagged = await h.refunds.list({ needsAttention: true }, '*');
      expect(flagged.items.map((r) => r.refundNo)).toEqual(['R1']);
      expect((await h.refunds.list({ needsAttention: false }, '*')).items.map((r) => r.refundNo)).toEqual(['R2']);
      // Still queried, at the slowest step of the schedule.
      const row = await h.orm.em.fork().findOneOrFail(Refund, refund.id);
      expect(row.nextSyncAt!.getTime() - h.clock.now().getTime()).toBe(21_600_000);

      await h.refunds.sync(refund.id);
      const attention = h.events.filter((e) => e instanceof RefundNeedsAttentionEvent) as RefundNeedsAttentionEvent[];
      expect(attention).toHaveLength(1);
      expect(attention[0]).toMatchObject({ reason: 'gateway_change', message: '转入代发', refund: { refundNo: 'R1' } });

      const settled = await h.refunds.sync(refund.id);
      expect(settled).toMatchObject({ status: 'SUCCEEDED', needsAttention: null, order: { refundedAmount: 100 } });
      expect((await history(refund.id)).map((e) => [e.toStatus, e.code])).toEqual([
        ['REQUESTED', null],
        ['PROCESSING', 'GATEWAY_CHANGE'],
        ['SUCCEEDED', null],
      ]);
    });

    it('flags an accepted refund the gateway no longer finds, and never resubmits it', async () => {
      const gateway = new FakeGateway('fake').onQuery({ kind: 'not_found', code: 'NO_SUCH_REFUND', message: 'gone' });
      await start(gateway);
      const { refund } = await h.refunds.request(command());
      const after = await h.refunds.sync(refund.id);
      expect(after).toMatchObject({ status: 'PROCESSING', needsAttention: { reason: 'gateway_lost_refund' } });
      expect(after.order.reservedAmount).toBe(100);
      expect(gateway.submitted).toHaveLength(1);
      expect(h.events.some((e) => e instanceof RefundNeedsAttentionEvent)).toBe(true);
    });

    it('keeps a refund moved to manual payout flagged as such when the gateway later no longer finds it', async () => {
      const gateway = new FakeGateway('fake')
        .onSubmit({ kind: 'needs_attention', reason: 'gateway_change', rawStatus: 'CHANGE', message: '转入代发' })
        .onQuery(
          { kind: 'not_found', code: 'NO_SUCH_REFUND', message: 'gone' },
          { kind: 'not_found', code: 'NO_SUCH_REFUND', message: 'gone' },
        );
      await start(gateway);
      const { refund } = await h.refunds.request(command());
      await h.refunds.sync(refund.id);
      const after = await h.refunds.sync(refund.id);
      expect(after).toMatchObject({
        status: 'PROCESSING',
        needsAttention: { reason: 'gateway_change' },
        order: { reservedAmount: 100 },
      });
      expect(gateway.submitted).toHaveLength(1);
      const attention = h.events.filter((e) => e instanceof RefundNeedsAttentionEvent) as RefundNeedsAttentionEvent[];
      expect(attention.map((e) => e.reason)).toEqual(['gateway_change']);
      // The gateway's "not found" is on record all the same, once per query.
      const exchanges = await h.refunds.exchangesPage(refund.id);
      expect(exchanges.items.map((e) => [e.operation, e.code])).toEqual([
        ['submit', 'GATEWAY_CHANGE'],
        ['query', 'NO_SUCH_REFUND'],
        ['query', 'NO_SUCH_REFUND'],
      ]);
    });

    it("answers a gateway's business rule with its own refusal and records nothing", async () => {
      await start(new FakeGateway('fake', { windowDays: 90 }));
      const attempt = h.refunds.request(
        command({ order: { merchantOrderNo: 'T1', totalAmount: 300, paidAt: new Date('2025-06-01T00:00:00Z') } }),
      );
      await expect(attempt).rejects.toBeInstanceOf(GatewayRuleRefusalError);
      await expect(attempt).rejects.toMatchObject({
        code: 'REFUND_WINDOW_CLOSED',
        refusals: [{ details: { gateway: 'fake', windowDays: 90 } }],
      });
      expect(await h.orm.em.fork().count(Refund, {})).toBe(0);
    });

    it('refuses notifications for a gateway that sends none, and tells that gateway no notify URL', async () => {
      const gateway = new FakeGateway('fake', { notifications: false });
      await start(gateway);
      await h.refunds.request(command());
      expect(gateway.submitted[0].gatewayNotifyUrl).toBeNull();
      await expect(
        h.refunds.handleNotification('fake', {
          rawBody: Buffer.from('{}'),
          contentType: 'application/json',
          headers: {},
        }),
      ).rejects.toBeInstanceOf(NotificationsNotSupportedError);
    });

    describe('a gateway that takes one refund of an order at a time', () => {
      it('never has two refunds of one order in flight, and every one of 20 concurrent refunds succeeds', async () => {
        // Each submission takes a few turns of the event loop, so that concurrent requests overlap.
        const slow = async ({ request }: { request: GatewayRefundRequest }): Promise<GatewayOutcome> => {
          await yieldTurns(5);
          return { kind: 'processing', rawStatus: 'ACCEPTED', gatewayRefundNo: `G-${request.refundNo}` };
        };
        const gateway = new FakeGateway('fake', { serial: true }).onSubmit(...Array.from({ length: 20 }, () => slow));
        await start(gateway);
        const requests = Array.from({ length: 20 }, (_, i) =>
          h.refunds.request(
            command({ refundNo: `R${i + 1}`, amount: 10, order: { merchantOrderNo: 'T1', totalAmount: 300 } }),
          ),
        );
        const answers = await Promise.all(requests);
        expect(answers.every((a) => a.created)).toBe(true);
        expect(answers.some((a) => a.refund.status === 'REQUESTED' && a.refund.failure?.code === ORDER_SLOT_BUSY)).toBe(
          true,
        );
        await h.refunds.settled();

        expect(gateway.maxInFlightPerOrder).toBe(1);
        expect(gateway.submitted).toHaveLength(20);
        expect(new Set(gateway.submitted.map((s) => s.refundNo)).size).toBe(20);
        const rows = await h.orm.em.fork().find(Refund, {});
        expect(rows.map((r) => r.status)).toEqual(Array(20).fill('PROCESSING'));
        expect(await order()).toMatchObject({ reservedAmount: 200, slotRefundId: null });

        gateway.onQuery(...Array.from({ length: 20 }, () => ({ kind: 'succeeded' as const, rawStatus: 'DONE' })));
        for (const row of rows) await h.refunds.sync(row.id);
        expect(await order()).toMatchObject({ refundedAmount: 200, reservedAmount: 200 });
        expect(h.events.filter((e) => e instanceof RefundSucceededEvent)).toHaveLength(20);
      });

      it('keeps the slot while the outcome is unknown, and hands it on once a query says accepted', async () => {
        const gateway = new FakeGateway('fake', { serial: true })
          .onSubmit({ kind: 'unknown', reason: 'timeout', detail: 'no answer' })
          .onQuery({ kind: 'processing', rawStatus: 'ACCEPTED' });
        await start(gateway);
        const first = await h.refunds.request(command({ refundNo: 'R1' }));
        expect(first.refund.status).toBe('UNKNOWN');
        const second = await h.refunds.request(command({ refundNo: 'R2' }));
        expect(second.refund).toMatchObject({ status: 'REQUESTED', failure: { code: ORDER_SLOT_BUSY } });
        expect(gateway.submitted.map((s) => s.refundNo)).toEqual(['R1']);
        // The queued refund's own sync round does not jump the queue.
        await expect(h.refunds.sync(second.refund.id)).resolves.toMatchObject({ status: 'REQUESTED' });
        expect(gateway.submitted.map((s) => s.refundNo)).toEqual(['R1']);

        await h.refunds.sync(first.refund.id);
        await h.refunds.settled();
        expect(gateway.submitted.map((s) => s.refundNo)).toEqual(['R1', 'R2']);
        await expect(h.refunds.get(second.refund.id)).resolves.toMatchObject({
          status: 'PROCESSING',
          deferredAt: null,
          failure: null,
        });
      });

      it("lets the gateway's own 'not now' wait for its retry without handing the slot round in circles", async () => {
        const gateway = new FakeGateway('fake', { serial: true }).onSubmit({
          kind: 'deferred',
          code: 'NOT_SUPPORT_CONCURRENT',
          message: '请分批次执行',
        });
        await start(gateway);
        const { refund } = await h.refunds.request(command());
        expect(refund).toMatchObject({ status: 'REQUESTED', failure: { code: 'NOT_SUPPORT_CONCURRENT' } });
        await h.refunds.settled();
        expect(gateway.submitted).toHaveLength(1);
        expect(await order()).toMatchObject({ slotRefundId: null, reservedAmount: 100 });
        h.clock.advance(5_000);
        await h.sync.runOnce();
        await expect(h.refunds.get(refund.id)).resolves.toMatchObject({ status: 'PROCESSING', attempts: 2 });
      });
    });
  });
}

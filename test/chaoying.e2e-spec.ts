import { RefundFailedEvent, RefundNeedsAttentionEvent, RefundSucceededEvent, type RefundView } from '@refundhub/core';
import type { ChaoyingSandbox } from '@refundhub/chaoying/sandbox';

import { ApiHarness, CY_MERCHANT, CY_ORDER, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';

/** ChaoYing through the real API over HTTP, against its sandbox: every refund settles by sync alone. */
for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'refunds over HTTP against the ChaoYing sandbox', () => {
    let h: ApiHarness;
    let cy: ChaoyingSandbox;

    beforeEach(async () => {
      h = await startApi(dialect, { chaoying: { timeoutMs: 300 } });
      if (!h.chaoying) throw new Error('the ChaoYing sandbox did not start');
      cy = h.chaoying;
    });
    afterEach(() => h.close());

    const body = (overrides: Record<string, unknown> = {}) => ({
      gateway: 'chaoying',
      merchantId: CY_MERCHANT,
      refundNo: 'CYR1',
      amount: 100,
      order: { ...CY_ORDER },
      reason: 'returned',
      ...overrides,
    });
    const create = (overrides: Record<string, unknown> = {}) => h.call<RefundView>('POST', '/refunds', body(overrides));
    const get = async (id: string) => (await h.call<RefundView>('GET', `/refunds/${id}`)).body;
    /** One sync round with every given refund due, as the loop would run it once their backoff has passed. */
    const syncRound = async (...ids: string[]) => {
      for (const id of ids) await h.makeDue(id);
      await h.syncRound();
    };

    it('refunds an order in full: accepted as PROCESSING, settled by the sync loop alone', async () => {
      cy.planRefund('CYR1', { outcome: 'success', afterQueries: 1 });
      const created = await create({ amount: CY_ORDER.totalAmount });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        status: 'PROCESSING',
        gatewayRefundNo: expect.any(String),
        order: { reservedAmount: 500, refundedAmount: 0 },
      });
      // ChaoYing sends no notifications: the gateway was given no notify URL, and the notify route refuses.
      expect(cy.requests()[0].params).not.toHaveProperty('notify_url');
      const notify = await h.postRaw('/notify/chaoying', '{}', 'application/json');
      expect(notify.status).toBe(404);

      await syncRound(created.body.id);
      expect(await get(created.body.id)).toMatchObject({
        status: 'SUCCEEDED',
        finishedAt: expect.any(String),
        order: { reservedAmount: 500, refundedAmount: 500 },
      });
      expect(h.events.filter((e) => e instanceof RefundSucceededEvent)).toHaveLength(1);
    });

    it('settles several partial refunds of one order by sync alone, each by its own out_refund_no', async () => {
      cy.planRefund('CYR1', { outcome: 'success', afterQueries: 1 });
      cy.planRefund('CYR2', { outcome: 'fail', afterQueries: 1 });
      cy.planRefund('CYR3', { outcome: 'success', afterQueries: 2 });
      const ids: string[] = [];
      for (const [refundNo, amount] of [
        ['CYR1', 100],
        ['CYR2', 150],
        ['CYR3', 50],
      ] as const) {
        const created = await create({ refundNo, amount });
        expect(created.body).toMatchObject({ status: 'PROCESSING' });
        ids.push(created.body.id);
      }
      await syncRound(...ids);
      expect((await Promise.all(ids.map(get))).map((r) => r.status)).toEqual(['SUCCEEDED', 'FAILED', 'PROCESSING']);
      await syncRound(ids[2]);
      const [first, second, third] = await Promise.all(ids.map(get));
      expect(third.status).toBe('SUCCEEDED');
      expect(second.failure).toMatchObject({ code: 'CHAOYING_REFUND_FAIL' });
      expect(third.order).toMatchObject({ reservedAmount: 150, refundedAmount: 150 });
      expect(first.gatewayRefundNo).not.toBe(third.gatewayRefundNo);
      expect(cy.order(CY_MERCHANT, CY_ORDER.merchantOrderNo)?.balance).toBe(350);
      expect(h.events.filter((e) => e instanceof RefundFailedEvent)).toHaveLength(1);
    });

    it('refuses a refund over the balance with 422 and sends nothing to the gateway', async () => {
      await create({ refundNo: 'CYR1', amount: 400 });
      const over = await create({ refundNo: 'CYR2', amount: 200 });
      expect(over.status).toBe(422);
      expect(over.body).toMatchObject({ code: 'REFUND_EXCEEDS_BALANCE', refundableAmount: 100 });
      expect(cy.refundSubmissions('CYR2')).toBe(0);
    });

    it.each([
      ['timeout', true],
      ['5xx', false],
      ['malformed', false],
      ['badsign', true],
      ['unsigned', true],
    ] as const)('a %s answer is UNKNOWN, keeps the money, and is settled by sync', async (mode, processed) => {
      cy.failNext(mode, { operation: 'refund', process: processed });
      const created = await create();
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'UNKNOWN', order: { reservedAmount: 100 } });
      cy.releaseHeld();
      expect(cy.refund(CY_MERCHANT, 'CYR1') !== undefined).toBe(processed);

      // Processed: the query finds it. Not processed: the query says 20007, and it is submitted again, same number.
      await syncRound(created.body.id);
      const after = await get(created.body.id);
      expect(after.status).toBe(processed ? 'SUCCEEDED' : 'PROCESSING');
      if (!processed) {
        expect(cy.refundSubmissions('CYR1')).toBe(2);
        await syncRound(created.body.id);
        expect((await get(created.body.id)).status).toBe('SUCCEEDED');
      }
      expect(cy.order(CY_MERCHANT, CY_ORDER.merchantOrderNo)?.balance).toBe(400);
    });

    it('surfaces CHANGE (转入代发) as needing attention, with the money still reserved', async () => {
      cy.planRefund('CYR1', { outcome: 'change', afterQueries: 1 });
      const created = await create();
      await syncRound(created.body.id);
      const flagged = await get(created.body.id);
      expect(flagged).toMatchObject({
        status: 'PROCESSING',
        gatewayStatus: 'CHANGE',
        needsAttention: { reason: 'gateway_change', since: expect.any(String) },
        order: { reservedAmount: 100, refundedAmount: 0 },
      });
      const listed = await h.call<{ items: RefundView[] }>('GET', '/refunds?needsAttention=true&gateway=chaoying');
      expect(listed.body.items.map((r) => r.id)).toEqual([created.body.id]);
      expect(h.events.filter((e) => e instanceof RefundNeedsAttentionEvent)).toHaveLength(1);
      const history = await h.call<{ items: Array<{ code: string | null }> }>(
        'GET',
        `/refunds/${created.body.id}/history`,
      );
      expect(history.body.items.map((e) => e.code)).toContain('GATEWAY_CHANGE');
    });

    it.each([
      [
        'a missing payMethod',
        { order: { merchantOrderNo: CY_ORDER.merchantOrderNo, totalAmount: 500 } },
        'order.payMethod',
      ],
      ['an unknown payMethod', { order: { ...CY_ORDER, payMethod: 'PAYPAL' } }, 'order.payMethod'],
      ['a 33-character refund number', { refundNo: 'R'.repeat(33) }, 'refundNo'],
    ])('answers %s with 400 naming the field, and records nothing', async (_name, overrides, field) => {
      const bad = await create(overrides);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ errors: expect.arrayContaining([expect.objectContaining({ field })]) });
      expect(await h.rowCounts()).toEqual({ refunds: 0, orders: 0, history: 0 });
      expect(cy.requests()).toHaveLength(0);
    });
  });
}

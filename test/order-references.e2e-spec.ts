import { RefundNeedsAttentionEvent, RefundView } from '@refundhub/core';

import { ApiHarness, MERCHANT, ORDER, refundBody, startApi } from './support/api-harness';
import { TestDialect, describeWithDialect } from './support/databases';

type Refund = RefundView;
type ErrorAnswer = { code?: string; refundableAmount?: number; references?: unknown[]; recordedTotalAmount?: number };

/** A body naming the demo order (300 fen) with exactly these references. */
const naming = (refs: { merchantOrderNo?: string; gatewayOrderNo?: string }, overrides: Record<string, unknown>) =>
  refundBody({ ...overrides, order: { ...refs, totalAmount: ORDER.totalAmount } });

const submissions = (api: ApiHarness) => api.sandbox.requests().filter((r) => r.service === 'unified_refund');

/**
 * One order, one balance, however the caller names it. Before the order's references were linked,
 * the three requests below were all accepted: 730 fen reserved against a 300-fen order, and only the
 * gateway's own refusal kept the money.
 */
function overRefundScenario(dialect: TestDialect): void {
  describeWithDialect(dialect, 'one balance per order, however it is named, over HTTP', () => {
    let h: ApiHarness;

    beforeEach(async () => {
      h = await startApi(dialect, { leshuaTimeoutMs: 10_000 });
    });

    afterEach(async () => {
      await h.close();
    });

    const post = <T = Refund & ErrorAnswer>(body: Record<string, unknown>) => h.call<T>('POST', '/refunds', body);

    it('refuses the 730-fen over-refund: an invented merchant order number, then the gateway number, then the usual one', async () => {
      // 1. A merchant order number the gateway does not know, beside the order's real gateway number.
      //    Leshua looks orders up by its own number first: a real refund of 250 fen of the order.
      const alias = await post(
        naming({ merchantOrderNo: 'ALIAS1', gatewayOrderNo: ORDER.gatewayOrderNo }, { refundNo: 'RA1', amount: 250 }),
      );
      expect(alias.status).toBe(201);
      expect(alias.body).toMatchObject({
        status: 'PROCESSING',
        order: { totalAmount: 300, reservedAmount: 250 },
        // Leshua answered with the order's real merchant order number, not the one the request gave.
        needsAttention: { reason: 'order_reference_conflict' },
      });
      expect(h.sandbox.order(MERCHANT, ORDER.gatewayOrderNo)?.balance).toBe(50);

      // 2. The gateway order number alone: the same order, 50 fen left.
      const byGateway = await post(naming({ gatewayOrderNo: ORDER.gatewayOrderNo }, { refundNo: 'RA2', amount: 280 }));
      expect(byGateway.status).toBe(422);
      expect(byGateway.body).toMatchObject({ code: 'REFUND_EXCEEDS_BALANCE', refundableAmount: 50 });

      // 3. The usual merchant order number: Leshua's answer to the first refund named it, so it is the same order too.
      const usual = await post(naming({ merchantOrderNo: ORDER.merchantOrderNo }, { refundNo: 'RA3', amount: 200 }));
      expect(usual.status).toBe(422);
      expect(usual.body).toMatchObject({ code: 'REFUND_EXCEEDS_BALANCE', refundableAmount: 50 });

      // Nothing of the refused ones was written or sent.
      expect(h.sandbox.refundSubmissions('RA2')).toBe(0);
      expect(h.sandbox.refundSubmissions('RA3')).toBe(0);
      expect(submissions(h)).toHaveLength(1);
      expect(await h.rowCounts()).toMatchObject({ refunds: 1, orders: 1 });
      const flagged = h.events.filter((e) => e instanceof RefundNeedsAttentionEvent) as RefundNeedsAttentionEvent[];
      expect(flagged).toEqual([
        expect.objectContaining({ reason: 'order_reference_conflict', message: expect.stringContaining('ALIAS1') }),
      ]);

      // What is left can still be refunded, under any of the three names.
      const rest = await post(naming({ merchantOrderNo: ORDER.merchantOrderNo }, { refundNo: 'RA4', amount: 50 }));
      expect(rest.status).toBe(201);
      expect(rest.body.order).toMatchObject({ reservedAmount: 300 });
      expect(h.sandbox.order(MERCHANT, ORDER.gatewayOrderNo)?.balance).toBe(0);
    });

    it('links the gateway order number a Leshua answer reveals: a later request naming only it finds the balance', async () => {
      const first = await post(naming({ merchantOrderNo: ORDER.merchantOrderNo }, { refundNo: 'RB1', amount: 200 }));
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ status: 'PROCESSING', needsAttention: null });

      const second = await post(naming({ gatewayOrderNo: ORDER.gatewayOrderNo }, { refundNo: 'RB2', amount: 150 }));
      expect(second.status).toBe(422);
      expect(second.body).toMatchObject({ code: 'REFUND_EXCEEDS_BALANCE', refundableAmount: 100 });
      expect(h.sandbox.refundSubmissions('RB2')).toBe(0);
      expect(await h.rowCounts()).toMatchObject({ refunds: 1, orders: 1 });
    });

    it('answers 409 ORDER_REFERENCE_CONFLICT for two references of two recorded orders, and writes and sends nothing', async () => {
      h.sandbox.seedOrder({ merchantId: MERCHANT, thirdOrderId: 'T2', leshuaOrderId: 'G2', totalAmount: 500 });
      expect(
        (await post(naming({ merchantOrderNo: ORDER.merchantOrderNo }, { refundNo: 'RC1', amount: 100 }))).status,
      ).toBe(201);
      const other = await post(
        refundBody({ refundNo: 'RC2', amount: 100, order: { merchantOrderNo: 'T2', totalAmount: 500 } }),
      );
      expect(other.status).toBe(201);
      const before = await h.rowCounts();

      const mixed = await post(
        naming({ merchantOrderNo: ORDER.merchantOrderNo, gatewayOrderNo: 'G2' }, { refundNo: 'RC3', amount: 10 }),
      );
      expect(mixed.status).toBe(409);
      expect(mixed.body).toMatchObject({
        code: 'ORDER_REFERENCE_CONFLICT',
        references: [
          {
            field: 'order.merchantOrderNo',
            value: ORDER.merchantOrderNo,
            order: { merchantOrderNo: ORDER.merchantOrderNo, gatewayOrderNo: ORDER.gatewayOrderNo, totalAmount: 300 },
          },
          {
            field: 'order.gatewayOrderNo',
            value: 'G2',
            order: { merchantOrderNo: 'T2', gatewayOrderNo: 'G2', totalAmount: 500 },
          },
        ],
      });
      expect(await h.rowCounts()).toEqual(before);
      expect(h.sandbox.refundSubmissions('RC3')).toBe(0);
    });

    it('answers 409 ORDER_CONFLICT when a request linking a new reference gives another total, and links nothing', async () => {
      expect(
        (await post(naming({ merchantOrderNo: ORDER.merchantOrderNo }, { refundNo: 'RD1', amount: 100 }))).status,
      ).toBe(201);
      const wrongTotal = await post(
        refundBody({
          refundNo: 'RD2',
          amount: 100,
          order: { merchantOrderNo: ORDER.merchantOrderNo, gatewayOrderNo: 'G-NEW', totalAmount: 500 },
        }),
      );
      expect(wrongTotal.status).toBe(409);
      expect(wrongTotal.body).toMatchObject({ code: 'ORDER_CONFLICT', recordedTotalAmount: 300 });
      // G-NEW was not linked: alone, it is an order of its own.
      const alone = await post(
        refundBody({ refundNo: 'RD3', amount: 100, order: { gatewayOrderNo: 'G-NEW', totalAmount: 500 } }),
      );
      expect(alone.status).toBe(201);
      expect(alone.body.order).toMatchObject({ totalAmount: 500 });
      expect(await h.rowCounts()).toMatchObject({ orders: 2 });
    });

    it('still replays the same request with both references, and refuses the same refund number with other references', async () => {
      const body = naming(
        { merchantOrderNo: ORDER.merchantOrderNo, gatewayOrderNo: ORDER.gatewayOrderNo },
        { refundNo: 'RE1', amount: 100 },
      );
      const first = await post(body);
      expect(first.status).toBe(201);
      const replay = await post(body);
      expect(replay.status).toBe(200);
      expect(replay.body.id).toBe(first.body.id);
      const renamed = await post(naming({ gatewayOrderNo: ORDER.gatewayOrderNo }, { refundNo: 'RE1', amount: 100 }));
      expect(renamed.status).toBe(409);
      expect(renamed.body).toMatchObject({ code: 'REFUND_CONFLICT', differences: ['order.merchantOrderNo'] });
      expect(h.sandbox.refundSubmissions('RE1')).toBe(1);
    });
  });
}

overRefundScenario('sqlite');
overRefundScenario('postgresql');

describeWithDialect('postgresql', 'racing requests naming one order two ways, over HTTP', () => {
  let h: ApiHarness;
  const ORDERS = 8;

  beforeEach(async () => {
    h = await startApi('postgresql', { leshuaTimeoutMs: 10_000 });
    for (let i = 0; i < ORDERS; i += 1) {
      h.sandbox.seedOrder({ merchantId: MERCHANT, thirdOrderId: `TR${i}`, leshuaOrderId: `GR${i}`, totalAmount: 300 });
    }
  });

  afterEach(async () => {
    await h.close();
  });

  const race = (bodies: Record<string, unknown>[]) =>
    Promise.all(bodies.map((body) => h.call<Refund & ErrorAnswer>('POST', '/refunds', body)));
  const body = (i: number, refundNo: string, refs: { merchantOrderNo?: string; gatewayOrderNo?: string }) =>
    refundBody({ refundNo, amount: 200, order: { ...refs, totalAmount: 300 } });

  it('a new order named by both numbers and by its gateway number alone: one of two 200-fen refunds is accepted', async () => {
    const answers = await race(
      Array.from({ length: ORDERS }, (_, i) => [
        body(i, `RX${i}A`, { merchantOrderNo: `TR${i}`, gatewayOrderNo: `GR${i}` }),
        body(i, `RX${i}B`, { gatewayOrderNo: `GR${i}` }),
      ]).flat(),
    );
    for (let i = 0; i < ORDERS; i += 1) {
      const pair = answers.slice(2 * i, 2 * i + 2);
      expect(pair.map((a) => a.status).sort()).toEqual([201, 422]);
      expect(pair.find((a) => a.status === 422)?.body).toMatchObject({ refundableAmount: 100 });
      expect(h.sandbox.order(MERCHANT, `GR${i}`)?.balance).toBe(100);
    }
    expect(submissions(h)).toHaveLength(ORDERS);
    expect(await h.rowCounts()).toMatchObject({ refunds: ORDERS, orders: ORDERS });
  });

  it('a linked order named by its merchant number and by its gateway number at once: never more than its total', async () => {
    for (let i = 0; i < ORDERS; i += 1) {
      const linked = await h.call('POST', '/refunds', {
        ...body(i, `RY${i}L`, { merchantOrderNo: `TR${i}`, gatewayOrderNo: `GR${i}` }),
        amount: 100,
      });
      expect(linked.status).toBe(201);
    }
    const answers = await race(
      Array.from({ length: ORDERS }, (_, i) => [
        body(i, `RY${i}A`, { merchantOrderNo: `TR${i}` }),
        body(i, `RY${i}B`, { gatewayOrderNo: `GR${i}` }),
      ]).flat(),
    );
    for (let i = 0; i < ORDERS; i += 1) {
      const pair = answers.slice(2 * i, 2 * i + 2);
      expect(pair.map((a) => a.status).sort()).toEqual([201, 422]);
      expect(pair.find((a) => a.status === 201)?.body.order).toMatchObject({ reservedAmount: 300 });
      expect(h.sandbox.order(MERCHANT, `GR${i}`)?.balance).toBe(0);
    }
    expect(submissions(h)).toHaveLength(2 * ORDERS);
    expect(await h.rowCounts()).toMatchObject({ refunds: 2 * ORDERS, orders: ORDERS });
  });
});

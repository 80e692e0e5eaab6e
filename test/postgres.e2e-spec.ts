import { RefundFailedEvent, RefundRequestedEvent, RefundSucceededEvent, RefundView } from '@refundhub/core';

import { ApiHarness, MERCHANT, ORDER, refundBody, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';

type Refund = RefundView;

/**
 * The API on PostgreSQL, over real HTTP, against the Leshua sandbox: the same money rules as
 * on SQLite, but here concurrent requests really run in parallel and the over-refund guard
 * rests on the order row lock.
 */
describeWithDialect('postgresql', 'refunds over HTTP against the Leshua sandbox', () => {
  let h: ApiHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const start = async (options: { leshuaTimeoutMs?: number } = {}): Promise<ApiHarness> => {
    h = await startApi('postgresql', options);
    return h;
  };
  const ofType = <T>(api: ApiHarness, type: new (...args: never[]) => T) =>
    api.events.filter((e) => e instanceof type) as T[];
  const countBy = (statuses: number[]) =>
    statuses.reduce<Record<number, number>>(
      (counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }),
      {},
    );

  it('refunds: PROCESSING, then a sync makes it SUCCEEDED and RefundSucceeded is emitted once', async () => {
    const api = await start();
    const created = await api.call<Refund>('POST', '/refunds', refundBody());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      gateway: 'leshua',
      merchantId: MERCHANT,
      refundNo: 'R20250101000001',
      amount: 100,
      status: 'PROCESSING',
      order: { merchantOrderNo: ORDER.merchantOrderNo, totalAmount: 300, reservedAmount: 100, refundedAmount: 0 },
      failure: null,
      finishedAt: null,
    });
    expect(api.sandbox.refundSubmissions('R20250101000001')).toBe(1);

    const synced = await api.call<Refund>('POST', `/refunds/${created.body.id}/sync`);
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({
      id: created.body.id,
      status: 'SUCCEEDED',
      order: { refundedAmount: 100, reservedAmount: 100 },
    });
    expect(synced.body.finishedAt).not.toBeNull();

    // The sandbox notifies too; the refund is final already, so the notification is acknowledged and changes nothing.
    await api.sandbox.settled();
    expect(api.sandbox.notifications()).toEqual([
      expect.objectContaining({ merchantRefundId: 'R20250101000001', acknowledged: true }),
    ]);
    expect((await api.call<Refund>('GET', `/refunds/${created.body.id}`)).body).toMatchObject({
      status: 'SUCCEEDED',
      updatedAt: synced.body.updatedAt,
    });
    expect(ofType(api, RefundSucceededEvent)).toHaveLength(1);
    expect(ofType(api, RefundSucceededEvent)[0].refund).toMatchObject({
      refundId: created.body.id,
      refundNo: 'R20250101000001',
      amount: 100,
    });
    expect(ofType(api, RefundFailedEvent)).toHaveLength(0);
  });

  it('50 concurrent refunds of 10 fen against a 300-fen order: exactly 30 are accepted, 20 are refused with 422', async () => {
    // A generous gateway timeout: this test is about the balance, not about slow answers.
    const api = await start({ leshuaTimeoutMs: 10_000 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.call<Refund & { code?: string; refundableAmount?: number }>(
          'POST',
          '/refunds',
          refundBody({ refundNo: `RC${String(i).padStart(4, '0')}`, amount: 10 }),
        ),
      ),
    );

    expect(countBy(answers.map((a) => a.status))).toEqual({ 201: 30, 422: 20 });
    const accepted = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 422);
    for (const answer of refused) {
      expect(answer.body).toMatchObject({ code: 'REFUND_EXCEEDS_BALANCE', refundableAmount: 0 });
    }
    for (const answer of accepted) expect(answer.body).toMatchObject({ amount: 10, status: 'PROCESSING' });
    expect(new Set(accepted.map((a) => a.body.id)).size).toBe(30);

    // The order is reserved exactly to its total, never beyond.
    const one = await api.call<Refund>('GET', `/refunds/${accepted[0].body.id}`);
    expect(one.body.order).toMatchObject({ totalAmount: 300, reservedAmount: 300, refundedAmount: 0 });
    expect(await api.rowCounts()).toMatchObject({ refunds: 30, orders: 1 });

    // Only the accepted refunds reached the gateway, each once, and the gateway agrees on the balance.
    const submissions = api.sandbox.requests().filter((r) => r.service === 'unified_refund');
    expect(submissions).toHaveLength(30);
    expect(new Set(submissions.map((r) => r.params.merchant_refund_id))).toEqual(
      new Set(accepted.map((a) => a.body.refundNo)),
    );
    expect(api.sandbox.order(MERCHANT, ORDER.merchantOrderNo)?.balance).toBe(0);
    expect(ofType(api, RefundRequestedEvent)).toHaveLength(30);
  });

  it('20 concurrent identical requests create one refund: one 201, the rest 200 with the same id, one submission', async () => {
    const api = await start({ leshuaTimeoutMs: 10_000 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api.call<Refund>('POST', '/refunds', refundBody())),
    );

    expect(countBy(answers.map((a) => a.status))).toEqual({ 201: 1, 200: 19 });
    const created = answers.find((a) => a.status === 201)!;
    expect(created.body).toMatchObject({ refundNo: 'R20250101000001', amount: 100, status: 'PROCESSING' });
    for (const answer of answers) expect(answer.body.id).toBe(created.body.id);

    expect(api.sandbox.refundSubmissions('R20250101000001')).toBe(1);
    expect(await api.rowCounts()).toMatchObject({ refunds: 1, orders: 1 });
    const now = await api.call<Refund>('GET', `/refunds/${created.body.id}`);
    expect(now.body.order).toMatchObject({ reservedAmount: 100, refundedAmount: 0 });
    expect(ofType(api, RefundRequestedEvent)).toHaveLength(1);
  });

  describe.each([
    ['after the gateway took the refund', true],
    ['before the gateway took the refund', false],
  ] as const)('a gateway timeout, %s', (_name, processed) => {
    it('is UNKNOWN with the amount still reserved, and syncs resolve it under the same refund number', async () => {
      const api = await start({ leshuaTimeoutMs: 1000 });
      api.sandbox.failNext('timeout', { service: 'unified_refund', process: processed });
      const created = await api.call<Refund>('POST', '/refunds', refundBody());
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        status: 'UNKNOWN',
        order: { reservedAmount: 100, refundedAmount: 0 },
        finishedAt: null,
      });
      expect(created.body.failure).not.toBeNull();
      expect(ofType(api, RefundFailedEvent)).toHaveLength(0);
      // The sandbox really held the call: the client gave up on it.
      expect(api.sandbox.requests()).toEqual([
        expect.objectContaining({ service: 'unified_refund', fault: 'timeout' }),
      ]);
      api.sandbox.releaseHeld();

      const first = await api.call<Refund>('POST', `/refunds/${created.body.id}/sync`);
      expect(first.status).toBe(200);
      // Found by the query: it settles now. Lost: it is submitted again and is PROCESSING.
      expect(first.body.status).toBe(processed ? 'SUCCEEDED' : 'PROCESSING');
      const final = processed ? first : await api.call<Refund>('POST', `/refunds/${created.body.id}/sync`);
      expect(final.body).toMatchObject({ status: 'SUCCEEDED', order: { refundedAmount: 100, reservedAmount: 100 } });

      const submissions = api.sandbox.requests().filter((r) => r.service === 'unified_refund');
      expect(submissions).toHaveLength(processed ? 1 : 2);
      expect(new Set(submissions.map((r) => r.params.merchant_refund_id))).toEqual(new Set(['R20250101000001']));
      expect(api.sandbox.refund(MERCHANT, 'R20250101000001')).toMatchObject({ amount: 100, status: '11' });
      expect(api.sandbox.order(MERCHANT, ORDER.merchantOrderNo)?.balance).toBe(200);
      await api.sandbox.settled();
      expect(ofType(api, RefundSucceededEvent)).toHaveLength(1);
    });
  });
});

import { RefundFailedEvent, RefundRequestedEvent, RefundSucceededEvent, RefundView } from '@refundhub/core';
import { createLeshuaSandboxNotification, LESHUA_SANDBOX_ERRORS } from '@refundhub/leshua/sandbox';

import { ApiHarness, KEYS, LESHUA_KEYS, MERCHANT, ORDER, refundBody, startApi } from './support/api-harness';

type Refund = RefundView;

describe('refunds over HTTP against the Leshua sandbox [SQLite]', () => {
  let h: ApiHarness;

  beforeEach(async () => {
    h = await startApi('sqlite');
  });

  afterEach(async () => {
    await h.close();
  });

  const create = (overrides: Record<string, unknown> = {}) => h.call<Refund>('POST', '/refunds', refundBody(overrides));
  const sync = (id: string) => h.call<Refund>('POST', `/refunds/${id}/sync`);
  const get = (id: string) => h.call<Refund>('GET', `/refunds/${id}`);
  const ofType = <T>(type: new (...args: never[]) => T) => h.events.filter((e) => e instanceof type) as T[];

  it('refunds: PROCESSING, then a sync makes it SUCCEEDED and RefundSucceeded is emitted once', async () => {
    const created = await create();
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
    expect(created.body.gatewayRefundNo).toEqual(expect.any(String));
    expect(h.sandbox.refundSubmissions('R20250101000001')).toBe(1);
    expect(h.sandbox.requests()[0].params).toMatchObject({
      service: 'unified_refund',
      merchant_id: MERCHANT,
      third_order_id: ORDER.merchantOrderNo,
      merchant_refund_id: 'R20250101000001',
      refund_amount: '100',
      notify_url: encodeURIComponent(`${h.url}/notify/leshua`),
    });

    const synced = await sync(created.body.id);
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ status: 'SUCCEEDED', order: { refundedAmount: 100, reservedAmount: 100 } });
    expect(synced.body.finishedAt).not.toBeNull();

    // The sandbox also notifies; the notification finds the refund final already: acknowledged, no second event.
    await h.sandbox.settled();
    expect(h.sandbox.notifications()).toEqual([
      expect.objectContaining({ merchantRefundId: 'R20250101000001', acknowledged: true }),
    ]);
    expect(ofType(RefundRequestedEvent)).toHaveLength(1);
    expect(ofType(RefundSucceededEvent)).toHaveLength(1);
    expect(ofType(RefundSucceededEvent)[0].refund).toMatchObject({ refundId: created.body.id, amount: 100 });

    const replay = await create();
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: created.body.id, status: 'SUCCEEDED' });
    expect(h.sandbox.refundSubmissions('R20250101000001')).toBe(1);
  });

  it('applies the gateway notification when it comes first', async () => {
    const created = await create();
    h.sandbox.complete(MERCHANT, 'R20250101000001', 'success');
    await h.sandbox.settled();
    expect(h.sandbox.notifications()[0]).toMatchObject({
      acknowledged: true,
      response: { status: 200, body: '000000' },
    });
    expect((await get(created.body.id)).body.status).toBe('SUCCEEDED');
    expect(ofType(RefundSucceededEvent)).toHaveLength(1);
  });

  it('a rejection the module lists as definite is FAILED with the gateway code and message, and the reservation is released', async () => {
    h.sandbox.rejectNext(LESHUA_SANDBOX_ERRORS.amountExceeds, '退款金额超过订单可退金额', {
      service: 'unified_refund',
    });
    const created = await create({ amount: 300 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'FAILED',
      failure: { code: 'REFUND_AMOUNT_EXCEED', message: '退款金额超过订单可退金额' },
      order: { reservedAmount: 0, refundedAmount: 0 },
    });
    expect(ofType(RefundFailedEvent)).toEqual([expect.objectContaining({ code: 'REFUND_AMOUNT_EXCEED' })]);
    // the whole order is refundable again, under a new refund number
    const again = await create({ refundNo: 'R20250101000002', amount: 300 });
    expect(again.body).toMatchObject({ status: 'PROCESSING', order: { reservedAmount: 300 } });
  });

  it('a rejection with a code nobody listed is UNKNOWN, keeps the money, and says why', async () => {
    h.sandbox.rejectNext('-1041', '超出单笔支付限额', { service: 'unified_refund' });
    const created = await create({ amount: 300 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'UNKNOWN',
      failure: { code: 'UNRECOGNIZED', message: expect.stringContaining('-1041: 超出单笔支付限额') },
      order: { reservedAmount: 300, refundedAmount: 0 },
    });
    expect(ofType(RefundFailedEvent)).toEqual([]);
  });

  it('a refund that fails at the gateway later is FAILED after sync and releases its amount', async () => {
    h.sandbox.planRefund('R20250101000001', { outcome: 'fail', afterQueries: 1, failureReason: '原路退回失败' });
    const created = await create();
    const synced = await sync(created.body.id);
    expect(synced.body).toMatchObject({ status: 'FAILED', order: { reservedAmount: 0 } });
    expect(synced.body.failure?.message).toContain('原路退回失败');
  });

  describe.each([
    ['a timeout, after the gateway took the refund', 'timeout', true],
    ['a timeout, before the gateway took the refund', 'timeout', false],
    ['an HTTP 5xx', '5xx', false],
    ['a malformed answer', 'malformed', false],
    ['a wrongly signed answer', 'badsign', true],
  ] as const)('%s', (_name, mode, processed) => {
    it('is UNKNOWN, never FAILED, keeps the reservation, and a later sync resolves it with the same refund number', async () => {
      h.sandbox.failNext(mode, { service: 'unified_refund', process: processed });
      const created = await create();
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'UNKNOWN', order: { reservedAmount: 100 } });
      expect(created.body.failure).not.toBeNull();
      expect(ofType(RefundFailedEvent)).toHaveLength(0);
      h.sandbox.releaseHeld();

      const first = await sync(created.body.id);
      // Found (processed) -> the query settles it; lost -> resubmitted under the same refundNo.
      expect(['PROCESSING', 'SUCCEEDED']).toContain(first.body.status);
      const final = first.body.status === 'SUCCEEDED' ? first : await sync(created.body.id);
      expect(final.body).toMatchObject({ status: 'SUCCEEDED', order: { refundedAmount: 100 } });
      expect(h.sandbox.refund(MERCHANT, 'R20250101000001')).toMatchObject({ amount: 100, status: '11' });
      const submissions = h.sandbox.requests().filter((r) => r.service === 'unified_refund');
      expect(new Set(submissions.map((r) => r.params.merchant_refund_id))).toEqual(new Set(['R20250101000001']));
      expect(h.sandbox.order(MERCHANT, ORDER.merchantOrderNo)?.balance).toBe(200);
    });
  });

  it('a sync round leaves refunds alone until they are due, then settles them', async () => {
    h.sandbox.failNext('5xx', { service: 'unified_refund' });
    const created = await create();
    expect(created.body.status).toBe('UNKNOWN');
    const id = created.body.id;
    await h.syncRound();
    expect((await get(id)).body.status).toBe('UNKNOWN');
    expect(h.sandbox.requests().filter((r) => r.service === 'unified_query_refund')).toHaveLength(0);

    // Make it due now rather than waiting out the backoff.
    await h.makeDue(id);
    await h.syncRound(); // the query finds nothing: resubmitted under the same refund number
    expect((await get(id)).body).toMatchObject({ status: 'PROCESSING', attempts: 2 });
    await h.makeDue(id);
    await h.syncRound();
    expect((await get(id)).body.status).toBe('SUCCEEDED');
    expect(ofType(RefundSucceededEvent)).toHaveLength(1);
  });

  describe('notifications', () => {
    const genuine = (outcome: 'success' | 'fail', overrides: Record<string, unknown> = {}) =>
      createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'R20250101000001',
        thirdOrderId: ORDER.merchantOrderNo,
        amount: 100,
        outcome,
        key: LESHUA_KEYS[MERCHANT].notifyKey,
        ...overrides,
      });

    it('rejects a forged notification, logs it and changes nothing', async () => {
      const created = await create();
      const before = await h.rowCounts();
      const forged = genuine('success', { key: 'NOT-THE-NOTIFY-KEY' });
      const answer = await h.postRaw('/notify/leshua', forged.rawBody, 'text/xml');
      expect(answer.text).not.toBe('000000');
      expect(answer.status).toBeGreaterThanOrEqual(400);
      const tampered = genuine('fail', { tamper: { status: '11' } });
      expect((await h.postRaw('/notify/leshua', tampered.rawBody, 'application/x-www-form-urlencoded')).text).not.toBe(
        '000000',
      );
      expect((await get(created.body.id)).body).toMatchObject({ status: 'PROCESSING', order: { reservedAmount: 100 } });
      expect(await h.rowCounts()).toEqual(before);
      expect(ofType(RefundSucceededEvent)).toHaveLength(0);
    });

    it('applies a genuine notification once; a replayed one changes nothing', async () => {
      const created = await create();
      const notification = genuine('success');
      const first = await h.postRaw('/notify/leshua', notification.rawBody, 'text/xml');
      expect(first).toMatchObject({ status: 200, text: '000000' });
      const after = await get(created.body.id);
      expect(after.body.status).toBe('SUCCEEDED');
      const counts = await h.rowCounts();

      const replay = await h.postRaw('/notify/leshua', notification.rawBody, 'text/xml');
      expect(replay).toMatchObject({ status: 200, text: '000000' });
      const failedLate = await h.postRaw('/notify/leshua', genuine('fail').rawBody, 'text/xml');
      expect(failedLate.text).toBe('000000');
      expect((await get(created.body.id)).body).toMatchObject({ status: 'SUCCEEDED', updatedAt: after.body.updatedAt });
      // the conflicting one is kept in history, not applied
      expect((await h.rowCounts()).history).toBe(counts.history + 1);
      expect(ofType(RefundSucceededEvent)).toHaveLength(1);
      expect(ofType(RefundFailedEvent)).toHaveLength(0);
    });

    it('does not acknowledge a genuine notification for a refund it does not know', async () => {
      const answer = await h.postRaw(
        '/notify/leshua',
        genuine('success', { merchantRefundId: 'NOPE1' }).rawBody,
        'text/xml',
      );
      expect(answer.text).not.toBe('000000');
    });

    it('answers 404 for an unknown gateway', async () => {
      expect((await h.postRaw('/notify/nope', 'x', 'text/plain')).status).toBe(404);
    });
  });

  describe('bad input gets the documented error and writes nothing', () => {
    const cases: Array<[string, Record<string, unknown> | string, number, string?]> = [
      ['a missing refundNo', refundBody({ refundNo: undefined }), 400, 'refundNo'],
      ['a missing order', refundBody({ order: undefined }), 400, 'order'],
      ['a missing amount', refundBody({ amount: undefined }), 400, 'amount'],
      ['a negative amount', refundBody({ amount: -1 }), 400, 'amount'],
      ['a zero amount', refundBody({ amount: 0 }), 400, 'amount'],
      ['a fractional amount', refundBody({ amount: 1.5 }), 400, 'amount'],
      ['a string amount', refundBody({ amount: '100' }), 400, 'amount'],
      ['an amount over the order total', refundBody({ amount: 301 }), 400, 'amount'],
      ['a refundNo over 64 characters', refundBody({ refundNo: 'R'.repeat(65) }), 400, 'refundNo'],
      ['a refundNo Leshua does not accept', refundBody({ refundNo: 'R_2025_01' }), 400, 'refundNo'],
      ['an unknown gateway', refundBody({ gateway: 'paypal' }), 404, 'gateway'],
      ['an unknown merchant', refundBody({ merchantId: '0000009999' }), 404, 'merchantId'],
      ['an unknown field', refundBody({ currency: 'CNY' }), 400, 'currency'],
      ['a body that is not JSON', '{"amount":', 400, undefined],
    ];

    it.each(cases)('%s', async (_name, body, status, field) => {
      const answer = await h.call<{ errors?: Array<{ field: string }> }>('POST', '/refunds', body);
      expect(answer.status).toBe(status);
      if (field) expect(answer.body.errors?.map((e) => e.field)).toContain(field);
      expect(await h.rowCounts()).toEqual({ refunds: 0, orders: 0, history: 0 });
      expect(h.sandbox.requests()).toHaveLength(0);
    });

    it.each([
      ['no API key', null, 401],
      ['a wrong API key', 'rh_wrong', 401],
      ['a key scoped to another merchant', KEYS.other, 403],
    ] as const)('%s', async (_name, key, status) => {
      const answer = await h.call('POST', '/refunds', refundBody(), key);
      expect(answer.status).toBe(status);
      expect(await h.rowCounts()).toEqual({ refunds: 0, orders: 0, history: 0 });
    });

    it('a refund over the refundable balance is 422 and says how much is left', async () => {
      await create({ amount: 250 });
      const answer = await h.call<{ refundableAmount: number; message: string }>(
        'POST',
        '/refunds',
        refundBody({ refundNo: 'R20250101000002', amount: 100 }),
      );
      expect(answer.status).toBe(422);
      expect(answer.body.refundableAmount).toBe(50);
      expect(answer.body.message).toContain('50');
      expect((await h.rowCounts()).refunds).toBe(1);
    });

    it('the same refund number with other parameters is 409', async () => {
      await create();
      const answer = await h.call('POST', '/refunds', refundBody({ amount: 120 }));
      expect(answer.status).toBe(409);
      expect((await h.rowCounts()).refunds).toBe(1);
    });
  });

  describe('reading', () => {
    it('hides refunds of other merchants and pages the list', async () => {
      const a = await create({ refundNo: 'RA1', amount: 10 });
      await create({ refundNo: 'RA2', amount: 10 });
      expect((await h.call('GET', `/refunds/${a.body.id}`, undefined, KEYS.other)).status).toBe(404);
      expect((await h.call('POST', `/refunds/${a.body.id}/sync`, undefined, KEYS.other)).status).toBe(404);
      expect((await h.call('GET', `/refunds/${a.body.id}`, undefined, KEYS.shop)).status).toBe(200);
      const mine = await h.call<{ items: Refund[]; nextCursor: string | null }>(
        'GET',
        '/refunds?limit=1',
        undefined,
        KEYS.shop,
      );
      expect(mine.body.items.map((r) => r.refundNo)).toEqual(['RA2']);
      const next = await h.call<{ items: Refund[]; nextCursor: string | null }>(
        'GET',
        `/refunds?limit=1&cursor=${mine.body.nextCursor}`,
        undefined,
        KEYS.shop,
      );
      expect(next.body.items.map((r) => r.refundNo)).toEqual(['RA1']);
      const theirs = await h.call<{ items: Refund[] }>('GET', '/refunds', undefined, KEYS.other);
      expect(theirs.body.items).toEqual([]);
      const filtered = await h.call<{ items: Refund[] }>(
        'GET',
        `/refunds?status=PROCESSING&merchantOrderNo=${ORDER.merchantOrderNo}`,
      );
      expect(filtered.body.items).toHaveLength(2);
      expect((await h.call('GET', '/refunds/rf_nope')).status).toBe(404);
      expect((await h.call('GET', '/refunds?limit=0')).status).toBe(400);
    });

    it('filters by refund number and gateway order number, and pages oldest first with order=asc', async () => {
      const first = await create({ refundNo: 'RB1', amount: 10 });
      await create({ refundNo: 'RB2', amount: 10 });
      await create({ refundNo: 'RB3', amount: 10 });
      const list = (query: string) =>
        h.call<{ items: Refund[]; nextCursor: string | null }>('GET', `/refunds?${query}`);

      expect((await list('refundNo=RB2')).body.items.map((r) => r.refundNo)).toEqual(['RB2']);
      expect((await list(`gatewayOrderNo=${first.body.order.gatewayOrderNo}`)).body.items).toHaveLength(3);
      expect((await list('gatewayOrderNo=nobody')).body.items).toEqual([]);
      const oldest = await list('order=asc&limit=2');
      expect(oldest.body.items.map((r) => r.refundNo)).toEqual(['RB1', 'RB2']);
      const rest = await list(`order=asc&limit=2&cursor=${oldest.body.nextCursor}`);
      expect(rest.body).toMatchObject({ items: [expect.objectContaining({ refundNo: 'RB3' })], nextCursor: null });
      expect((await list('order=desc&limit=1')).body.items.map((r) => r.refundNo)).toEqual(['RB3']);
      expect((await list('order=sideways')).status).toBe(400);
    });

    it('reports health without a key', async () => {
      const health = await h.call('GET', '/health', undefined, null);
      expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    });
  });
});

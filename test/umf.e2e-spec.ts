import { generateKeyPairSync } from 'node:crypto';

import { MikroORM } from '@mikro-orm/core';
import { Refund, RefundFailedEvent, RefundSucceededEvent, type RefundView } from '@refundhub/core';
import { UmfSandbox } from '@refundhub/umf/sandbox';

import { ApiHarness, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';

const MERCHANT = '30000101';
const PROXY_ID = '0025';
// The merchant's 1024-bit key pair, made once for this file; the sandbox derives the public half.
const { privateKey: PRIVATE_KEY } = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const DAY_MS = 24 * 3600 * 1000;
const ORDER = { merchantOrderNo: 'UMF20250101000001', totalAmount: 800, payMethod: 'ALIPAY' };

/** UMF through the real API over HTTP, against its sandbox: notifications, queries and unknown outcomes. */
describeWithDialect('sqlite', 'refunds over HTTP against the UMF sandbox', () => {
  let h: ApiHarness;
  let umf: UmfSandbox;
  let paidAt: Date;

  beforeEach(async () => {
    h = await startApi('sqlite', {
      gateways: {
        umf: {
          baseUrl: 'sandbox',
          timeoutMs: 300,
          merchants: { [MERCHANT]: { proxyId: PROXY_ID, privateKey: PRIVATE_KEY } },
        },
      },
    });
    umf = h.simulator('umf', UmfSandbox);
    paidAt = new Date(Date.now() - DAY_MS);
    umf.seedOrder({
      merchantId: MERCHANT,
      partnerOrderId: ORDER.merchantOrderNo,
      amount: ORDER.totalAmount,
      payType: 'AL',
      paidAt,
    });
  });
  afterEach(() => h.close());

  const body = (overrides: Record<string, unknown> = {}) => ({
    gateway: 'umf',
    merchantId: MERCHANT,
    refundNo: 'UR1',
    amount: 300,
    order: { ...ORDER, paidAt: paidAt.toISOString() },
    reason: 'returned',
    ...overrides,
  });
  const create = (overrides: Record<string, unknown> = {}) => h.call<RefundView>('POST', '/refunds', body(overrides));
  const get = async (id: string) => (await h.call<RefundView>('GET', `/refunds/${id}`)).body;
  const syncRound = async (...ids: string[]) => {
    for (const id of ids) await h.makeDue(id);
    await h.syncRound();
  };
  const queriesOf = (refundNo: string) =>
    umf.requests().filter((r) => r.operation === 'query' && r.params['refundPartnerOrderId'] === refundNo).length;

  it('refunds on notification: accepted, then SUCCEEDED by the notification, whose answer the sandbox verified', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'PROCESSING', order: { reservedAmount: 300, refundedAmount: 0 } });
    expect(umf.requests()[0].params).toMatchObject({
      subMerId: MERCHANT,
      proxyId: PROXY_ID,
      payType: 'AL',
      amount: '300',
      partnerOrderId: ORDER.merchantOrderNo,
      refundPartnerOrderId: 'UR1',
      apiVersion: '1.0',
      notifyUrl: `${h.url}/notify/umf`,
    });

    umf.complete(MERCHANT, 'UR1', 'success');
    await umf.notificationsSettled();
    expect(umf.notifications()).toEqual([
      expect.objectContaining({
        refundPartnerOrderId: 'UR1',
        attempt: 1,
        acknowledged: true,
        response: expect.objectContaining({ status: 200 }),
        ack: { retCode: '0000', signatureValid: true },
      }),
    ]);
    expect(await get(created.body.id)).toMatchObject({
      status: 'SUCCEEDED',
      finishedAt: expect.any(String),
      order: { reservedAmount: 300, refundedAmount: 300 },
    });
    expect(h.events.filter((e) => e instanceof RefundSucceededEvent)).toHaveLength(1);
    expect(queriesOf('UR1')).toBe(0);
  });

  it('fails a refund on query: FAILED with the money released, and the late notification acknowledged', async () => {
    umf.planRefund('UR1', { outcome: 'fail', afterQueries: 1, failReason: '原路退回失败' });
    const created = await create();
    expect(created.body.status).toBe('PROCESSING');
    await syncRound(created.body.id);
    expect(await get(created.body.id)).toMatchObject({
      status: 'FAILED',
      failure: { code: 'UMF_REFUND_FAILED', message: '原路退回失败' },
      order: { reservedAmount: 0, refundedAmount: 0 },
    });
    expect(umf.order(MERCHANT, ORDER.merchantOrderNo)?.balance).toBe(800);
    expect(h.events.filter((e) => e instanceof RefundFailedEvent)).toHaveLength(1);
    // The query made it final, so UMF notifies REFUND_FAIL too: it finds the refund final already.
    await umf.notificationsSettled();
    expect(umf.notifications()).toEqual([
      expect.objectContaining({ acknowledged: true, fields: expect.objectContaining({ tradeState: 'REFUND_FAIL' }) }),
    ]);
    expect(h.events.filter((e) => e instanceof RefundFailedEvent)).toHaveLength(1);
  });

  it('refuses an order paid 91 days ago with 422 REFUND_WINDOW_CLOSED and sends nothing', async () => {
    const old = new Date(Date.now() - 91 * DAY_MS);
    const refused = await create({ order: { ...ORDER, paidAt: old.toISOString() } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'REFUND_WINDOW_CLOSED',
      gateway: 'umf',
      paidAt: old.toISOString(),
      windowDays: 90,
    });
    expect(umf.requests()).toHaveLength(0);
    expect(await h.rowCounts()).toEqual({ refunds: 0, orders: 0, history: 0 });
  });

  it.each([
    ['timeout', true],
    ['5xx', false],
    ['malformed', false],
    ['badsign', true],
  ] as const)('a %s answer is UNKNOWN, keeps the money, and is settled by a later sync', async (mode, processed) => {
    umf.failNext(mode, { operation: 'refund', process: processed });
    const created = await create();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'UNKNOWN', order: { reservedAmount: 300 } });
    umf.releaseHeld();
    expect(umf.refund(MERCHANT, 'UR1') !== undefined).toBe(processed);

    // Processed: the query finds it. Not processed: the query says SBX00007, and it is submitted again, same number.
    await syncRound(created.body.id);
    const after = await get(created.body.id);
    expect(after.status).toBe(processed ? 'SUCCEEDED' : 'PROCESSING');
    if (!processed) {
      expect(umf.refundSubmissions('UR1')).toBe(2);
      await syncRound(created.body.id);
      expect((await get(created.body.id)).status).toBe('SUCCEEDED');
    }
    expect(umf.refund(MERCHANT, 'UR1')).toMatchObject({ status: '1', amount: 300 });
    expect(umf.order(MERCHANT, ORDER.merchantOrderNo)?.balance).toBe(500);
  });

  it('rejects a forged notification, changes nothing, and queries the refund at once', async () => {
    const created = await create();
    const before = await get(created.body.id);
    const nextSyncAt = async () =>
      (await h.app.get(MikroORM).em.fork().findOneOrFail(Refund, { id: created.body.id })).nextSyncAt?.getTime();
    // Not due yet: a round now would not query it.
    expect(await nextSyncAt()).toBeGreaterThan(Date.now());
    await h.syncRound();
    expect(queriesOf('UR1')).toBe(0);

    umf.forgeNotification(MERCHANT, 'UR1', { outcome: 'success' });
    await umf.notificationsSettled();
    const [delivery] = umf.notifications();
    expect(delivery).toMatchObject({ forged: true, acknowledged: false });
    expect(delivery.response).toMatchObject({ status: expect.any(Number) });
    expect('status' in delivery.response && delivery.response.status).toBeGreaterThanOrEqual(400);
    const after = await get(created.body.id);
    expect(after).toMatchObject({ status: 'PROCESSING', updatedAt: before.updatedAt, order: { reservedAmount: 300 } });
    expect(h.events.filter((e) => e instanceof RefundSucceededEvent)).toHaveLength(0);

    // A rejected notification naming a refund makes it due for a query now: the next round asks UMF.
    expect(await nextSyncAt()).toBeLessThanOrEqual(Date.now());
    await h.syncRound();
    expect(queriesOf('UR1')).toBe(1);
    expect((await get(created.body.id)).status).toBe('SUCCEEDED');
  });

  it.each([
    ['a missing payMethod', { order: { merchantOrderNo: ORDER.merchantOrderNo, totalAmount: 800 } }, 'order.payMethod'],
    ['an unknown payMethod', { order: { ...ORDER, payMethod: 'PAYPAL' } }, 'order.payMethod'],
  ])('answers %s with 400 naming the field, and records nothing', async (_name, overrides, field) => {
    const bad = await create(overrides);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: expect.arrayContaining([expect.objectContaining({ field })]) });
    expect(await h.rowCounts()).toEqual({ refunds: 0, orders: 0, history: 0 });
    expect(umf.requests()).toHaveLength(0);
  });
});

import { MikroORM } from '@mikro-orm/core';
import { BaofooSandbox, generateBaofooSandboxKeyPair } from '@refundhub/baofoo/sandbox';
import { Refund, RefundFailedEvent, RefundService, RefundSucceededEvent, type RefundView } from '@refundhub/core';

import { ApiHarness, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';

const BF_MERCHANT = '100000';
const BF_TERMINAL = '200000';
const MERCHANT_KEYS = generateBaofooSandboxKeyPair();
const DAY_MS = 24 * 3600 * 1000;
/** Sync rounds a scenario may take before it counts as stuck. */
const MAX_ROUNDS = 100;

/**
 * Baofoo through the real API over HTTP, against its sandbox: refunds accepted (REFUND) then settled by
 * sync or by the sandbox's notification, one refund of an order in flight at a time, and a sandbox that
 * would refuse (and record) any overlap.
 */
for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'refunds over HTTP against the Baofoo sandbox', () => {
    let h: ApiHarness;
    let bf: BaofooSandbox;
    const order = { merchantOrderNo: 'BF20260101000001', totalAmount: 2000, paidAt: '' };

    beforeEach(async () => {
      h = await startApi(dialect, {
        gateways: {
          baofoo: {
            baseUrl: 'sandbox',
            // Long enough for an answer held 2,000 event-loop turns (the serial test) on a loaded CI machine:
            // at 300 ms the first submission timed out there, stayed UNKNOWN, and held the order's slot.
            timeoutMs: 1_000,
            merchants: { [BF_MERCHANT]: { terId: BF_TERMINAL, privateKey: MERCHANT_KEYS.privateKeyPem } },
          },
        },
      });
      bf = h.simulator('baofoo', BaofooSandbox);
      const paidAt = new Date(Date.now() - DAY_MS);
      order.paidAt = paidAt.toISOString();
      bf.seedOrder({
        merchantId: BF_MERCHANT,
        originOutTradeNo: order.merchantOrderNo,
        totalAmount: order.totalAmount,
        paidAt,
      });
    });
    afterEach(() => h.close());

    const body = (overrides: Record<string, unknown> = {}) => ({
      gateway: 'baofoo',
      merchantId: BF_MERCHANT,
      refundNo: 'BFR1',
      amount: 100,
      order: { ...order },
      reason: '用户取消订单',
      ...overrides,
    });
    const create = (overrides: Record<string, unknown> = {}) => h.call<RefundView>('POST', '/refunds', body(overrides));
    const get = async (id: string) => (await h.call<RefundView>('GET', `/refunds/${id}`)).body;
    const rows = () =>
      h.app
        .get(MikroORM)
        .em.fork()
        .find(Refund, { gateway: 'baofoo' }, { orderBy: { refundNo: 'asc' } });
    /** One sync round with every given refund due, as the loop would run it once their backoff has passed. */
    const syncRound = async (...ids: string[]) => {
      for (const id of ids) await h.makeDue(id);
      await h.syncRound();
    };
    /** Sync rounds, the background submissions of each finished before the next, until `done`; bounded. */
    const syncUntil = async (done: (refunds: Refund[]) => boolean): Promise<Refund[]> => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        // Queued submissions handed their order's slot run in the background; notifications may come
        // in meanwhile, as they would, and are not waited for.
        await h.app.get(RefundService).settled();
        const refunds = await rows();
        if (done(refunds)) return refunds;
        await syncRound(...refunds.filter((r) => r.status !== 'SUCCEEDED' && r.status !== 'FAILED').map((r) => r.id));
      }
      throw new Error(
        `not done after ${MAX_ROUNDS} rounds: ${JSON.stringify((await rows()).map((r) => [r.refundNo, r.status]))}`,
      );
    };

    it('refunds an order in full: accepted, then settled by the notification Baofoo sends, acknowledged OK', async () => {
      const created = await create({ amount: order.totalAmount });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        status: 'PROCESSING',
        gatewayRefundNo: expect.any(String),
        order: { reservedAmount: 2000, refundedAmount: 0 },
      });
      const sent = bf.refund(BF_MERCHANT, 'BFR1');
      expect(sent).toMatchObject({
        refundAmt: 2000,
        totalAmt: 2000,
        refundReason: '用户取消订单',
        notifyUrl: `${h.url}/notify/baofoo`,
        state: 'REFUND',
      });

      bf.complete(BF_MERCHANT, 'BFR1', 'success');
      await bf.notificationsSettled();
      expect(bf.notifications()).toEqual([expect.objectContaining({ outTradeNo: 'BFR1', acknowledged: true })]);
      expect(await get(created.body.id)).toMatchObject({
        status: 'SUCCEEDED',
        order: { reservedAmount: 2000, refundedAmount: 2000 },
      });
      expect(h.events.filter((e) => e instanceof RefundSucceededEvent)).toHaveLength(1);
      expect(bf.order(BF_MERCHANT, order.merchantOrderNo)?.balance).toBe(0);
    });

    it('settles partial refunds of one order by sync, each by its own outTradeNo', async () => {
      bf.planRefund('BFR2', { outcome: 'fail', afterQueries: 1, errMsg: '银行拒绝' });
      const first = await create({ refundNo: 'BFR1', amount: 300 });
      const second = await create({ refundNo: 'BFR2', amount: 200 });
      expect([first.body.status, second.body.status]).toEqual(['PROCESSING', 'PROCESSING']);
      await syncRound(first.body.id, second.body.id);
      await bf.notificationsSettled();
      const [one, two] = [await get(first.body.id), await get(second.body.id)];
      expect(one).toMatchObject({ status: 'SUCCEEDED', finishedAt: expect.any(String) });
      expect(two).toMatchObject({ status: 'FAILED', failure: { code: 'REFUND_ERROR', message: '银行拒绝' } });
      expect(two.order).toMatchObject({ reservedAmount: 300, refundedAmount: 300 });
      expect(bf.order(BF_MERCHANT, order.merchantOrderNo)?.balance).toBe(1700);
      expect(h.events.filter((e) => e instanceof RefundFailedEvent)).toHaveLength(1);
      expect(bf.violations()).toEqual([]);
    });

    it('takes 20 concurrent partial refunds of one order one at a time: all SUCCEEDED, no overlap at Baofoo', async () => {
      // Answers held a while: a second refund of the order sent before the first one's answer would overlap.
      bf.holdRefundAnswers(2_000);
      const refundNos = Array.from({ length: 20 }, (_, i) => `BFC${String(i + 1).padStart(2, '0')}`);
      const answers = await Promise.all(refundNos.map((refundNo) => create({ refundNo, amount: 100 })));
      expect(answers.map((a) => a.status)).toEqual(refundNos.map(() => 201));

      const done = await syncUntil(
        (refunds) => refunds.length === 20 && refunds.every((r) => r.status === 'SUCCEEDED'),
      );
      expect(done.map((r) => r.refundNo)).toEqual(refundNos);
      expect(bf.violations()).toEqual([]);
      expect(refundNos.map((no) => bf.refundSubmissions(no))).toEqual(refundNos.map(() => 1));
      expect(bf.order(BF_MERCHANT, order.merchantOrderNo)?.balance).toBe(0);
      const [last] = (await h.call<{ items: RefundView[] }>('GET', '/refunds?gateway=baofoo&limit=1')).body.items;
      expect(last.order).toMatchObject({ reservedAmount: 2000, refundedAmount: 2000 });
    }, 60_000);

    it('refuses a refund of an order paid more than a year ago with 422 and sends nothing', async () => {
      const paidAt = new Date(Date.now() - 400 * DAY_MS).toISOString();
      const refused = await create({ order: { ...order, paidAt } });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'REFUND_WINDOW_CLOSED', gateway: 'baofoo', windowDays: 365 });
      expect(bf.requests()).toHaveLength(0);
      expect(await h.rowCounts()).toMatchObject({ refunds: 0 });
    });

    it.each([
      ['timeout', true],
      ['5xx', false],
      ['malformed', false],
      ['badsign', true],
    ] as const)('a %s answer is UNKNOWN, keeps the money, and is settled by a later sync', async (mode, processed) => {
      // A refund Baofoo never got is not ABNORMAL here but ORDER_NOT_EXIST, so the core may resubmit it.
      bf.setUnknownRefundQuery('not_found');
      bf.failNext(mode, { operation: 'order_refund', process: processed });
      const created = await create();
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'UNKNOWN', order: { reservedAmount: 100 } });
      bf.releaseHeld();
      expect(bf.refund(BF_MERCHANT, 'BFR1') !== undefined).toBe(processed);

      await syncUntil((refunds) => refunds[0]?.status === 'SUCCEEDED');
      expect(bf.refundSubmissions('BFR1')).toBe(processed ? 1 : 2);
      expect(bf.order(BF_MERCHANT, order.merchantOrderNo)?.balance).toBe(1900);
      expect(bf.violations()).toEqual([]);
    });

    it('rejects a forged notification, changes nothing, and has the refund queried now', async () => {
      const created = await create();
      expect(created.body.status).toBe('PROCESSING');
      const before = (await rows())[0];
      expect(before.nextSyncAt!.getTime()).toBeGreaterThan(Date.now());

      bf.sendForgedNotification({ merchantId: BF_MERCHANT, outTradeNo: 'BFR1', outcome: 'success' });
      await bf.notificationsSettled();
      expect(bf.notifications()).toEqual([expect.objectContaining({ forged: true, acknowledged: false })]);
      const after = (await rows())[0];
      expect(after.status).toBe('PROCESSING');
      expect(h.events.filter((e) => e instanceof RefundSucceededEvent)).toHaveLength(0);
      // Brought forward: the next round queries it without waiting for its backoff.
      expect(after.nextSyncAt!.getTime()).toBeLessThanOrEqual(Date.now());
      await h.syncRound();
      expect((await get(created.body.id)).status).toBe('SUCCEEDED');
      expect(bf.refund(BF_MERCHANT, 'BFR1')?.queries).toBe(1);
    });

    it('sends marketing and sharing amounts to Baofoo as given', async () => {
      const mktRefundInfo = { mktMerId: BF_MERCHANT, mktAmt: 30 };
      const sharingRefundInfo = [
        { sharingMerId: '100002', sharingAmt: 80 },
        { sharingMerId: '100003', sharingAmt: 40 },
      ];
      // 退款总金额 130 = 100 + 30 marketing = 80 + 40 shared + 10 advanced.
      const created = await create({ gatewayOptions: { mktRefundInfo, sharingRefundInfo, advanceAmt: 10 } });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('PROCESSING');
      expect(bf.refund(BF_MERCHANT, 'BFR1')).toMatchObject({
        refundAmt: 100,
        totalAmt: 130,
        mktRefundInfo,
        sharingRefundInfo,
        advanceAmt: 10,
      });
      expect(bf.requests()[0].bizContent).toMatchObject({
        mktRefundInfo,
        sharingRefundInfo,
        refundAmt: 100,
        totalAmt: 130,
      });
    });

    it.each([
      [
        'sharing parts over the refund total',
        { gatewayOptions: { sharingRefundInfo: [{ sharingMerId: '100002', sharingAmt: 101 }] } },
        'gatewayOptions.sharingRefundInfo',
      ],
      [
        'a marketing amount that is not fen',
        { gatewayOptions: { mktRefundInfo: { mktMerId: BF_MERCHANT, mktAmt: 1.5 } } },
        'gatewayOptions.mktRefundInfo.mktAmt',
      ],
      ['no reason', { reason: undefined }, 'reason'],
      ['a blank reason', { reason: '   ' }, 'reason'],
    ])('answers %s with 400 naming the field, and sends nothing', async (_name, overrides, field) => {
      const bad = await create(overrides);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ errors: expect.arrayContaining([expect.objectContaining({ field })]) });
      expect(await h.rowCounts()).toEqual({ refunds: 0, orders: 0, history: 0 });
      expect(bf.requests()).toHaveLength(0);
    });
  });
}

import { MikroORM } from '@mikro-orm/core';
import { Refund, WebhookDelivery, type RefundOverview, type RefundView } from '@refundhub/core';

import { ApiHarness, KEYS, OTHER_MERCHANT, refundBody, startApi } from './support/api-harness';
import { TestDialect, describeWithDialect } from './support/databases';

function overviewSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'GET /overview', () => {
    let h: ApiHarness;

    beforeEach(async () => {
      h = await startApi(dialect, { notifications: false });
    });

    afterEach(async () => {
      await h.close();
    });

    const em = () => h.app.get(MikroORM).em.fork();
    const create = async (overrides: Record<string, unknown>, key: string = KEYS.all) => {
      const created = await h.call<RefundView>('POST', '/refunds', refundBody(overrides), key);
      expect(created.status).toBe(201);
      return created.body;
    };
    const overview = async (key: string) => {
      const answer = await h.call<RefundOverview>('GET', '/overview', undefined, key);
      expect(answer.status).toBe(200);
      return answer.body;
    };
    const delivery = (refundId: string, id: string, status: 'pending' | 'failed', attempts: number) =>
      em().insert(WebhookDelivery, {
        id,
        refundId,
        eventId: `evt_${id}`,
        eventType: 'refund.requested',
        url: 'https://shop.example.com/hooks',
        body: '{}',
        status,
        attempts,
        nextAttemptAt: status === 'pending' ? new Date() : null,
        createdAt: new Date(),
        updatedAt: new Date(),
      });

    it("counts refunds by gateway, status and attention, with the oldest unfinished one, for the key's merchants", async () => {
      const succeeded = await create({ refundNo: 'ROV1' });
      expect((await h.call<RefundView>('POST', `/refunds/${succeeded.id}/sync`)).body.status).toBe('SUCCEEDED');
      const flagged = await create({ refundNo: 'ROV2' });
      const failed = await create({ refundNo: 'ROV3', amount: 50 });
      const resolved = await h.call<RefundView>(
        'POST',
        `/refunds/${failed.id}/resolve`,
        { status: 'FAILED', reason: 'refused by the bank on the phone' },
        KEYS.operator,
      );
      expect(resolved.body.status).toBe('FAILED');
      h.sandbox.seedOrder({
        merchantId: OTHER_MERCHANT,
        thirdOrderId: 'TOTHER1',
        leshuaOrderId: '8009999999999999',
        totalAmount: 500,
      });
      const other = await create(
        { refundNo: 'ROV4', merchantId: OTHER_MERCHANT, order: { merchantOrderNo: 'TOTHER1', totalAmount: 500 } },
        KEYS.other,
      );
      expect(other.status).toBe('PROCESSING');
      await em().nativeUpdate(
        Refund,
        { id: flagged.id },
        { attentionReason: 'sync_exhausted', attentionSince: new Date() },
      );
      await delivery(flagged.id, 'wd_ov1', 'failed', 12);
      await delivery(other.id, 'wd_ov2', 'pending', 2);
      await delivery(other.id, 'wd_ov3', 'pending', 0);
      await em()
        .getConnection()
        .execute(
          `update "refund_outbox" set "status" = 'poisoned' where "seq" = (select min("seq") from "refund_outbox")`,
        );

      const shop = await overview(KEYS.shop);
      expect(shop.gateways).toEqual([
        {
          gateway: 'leshua',
          total: 3,
          byStatus: { REQUESTED: 0, PROCESSING: 1, UNKNOWN: 0, SUCCEEDED: 1, FAILED: 1 },
          needsAttention: {
            total: 1,
            byReason: { gateway_change: 0, sync_exhausted: 1, gateway_lost_refund: 0, order_reference_conflict: 0 },
          },
          oldestUnfinished: { id: flagged.id, createdAt: flagged.createdAt, ageSeconds: expect.any(Number) },
        },
      ]);
      expect(shop.gateways[0].oldestUnfinished!.ageSeconds).toBeGreaterThanOrEqual(0);
      expect(shop.webhooks).toEqual({ givenUp: 1, failing: 0 });
      expect(shop.outbox).toBeNull();

      const otherShop = await overview(KEYS.other);
      expect(otherShop.gateways).toEqual([
        expect.objectContaining({
          total: 1,
          byStatus: { REQUESTED: 0, PROCESSING: 1, UNKNOWN: 0, SUCCEEDED: 0, FAILED: 0 },
          needsAttention: expect.objectContaining({ total: 0 }),
          oldestUnfinished: expect.objectContaining({ id: other.id }),
        }),
      ]);
      expect(otherShop.webhooks).toEqual({ givenUp: 0, failing: 1 });
      expect(otherShop.outbox).toBeNull();

      const outboxRows: Array<Record<string, unknown>> = await em()
        .getConnection()
        .execute(`select "status", count(*) as "n" from "refund_outbox" group by "status"`, [], 'all');
      const outboxCount = (status: string) => Number(outboxRows.find((r) => r.status === status)?.n ?? 0);
      const all = await overview(KEYS.all);
      expect(all.gateways).toEqual([
        expect.objectContaining({
          total: 4,
          byStatus: { REQUESTED: 0, PROCESSING: 2, UNKNOWN: 0, SUCCEEDED: 1, FAILED: 1 },
          needsAttention: expect.objectContaining({ total: 1 }),
          oldestUnfinished: expect.objectContaining({ id: flagged.id }),
        }),
      ]);
      expect(all.webhooks).toEqual({ givenUp: 1, failing: 1 });
      expect(all.outbox).toEqual({ pending: outboxCount('pending'), failing: 0, poisoned: 1 });
      // An operator key limited to one merchant sees the shared outbox, and only its merchant's refunds.
      const operator = await overview(KEYS.otherOperator);
      expect(operator.outbox).toEqual(all.outbox);
      expect(operator.gateways[0].total).toBe(1);
    });

    it('answers a key without refunds with no gateways, and refuses a request without a key', async () => {
      expect(await overview(KEYS.shop)).toEqual({
        at: expect.any(String),
        gateways: [],
        webhooks: { givenUp: 0, failing: 0 },
        outbox: null,
      });
      expect((await h.call('GET', '/overview', undefined, null)).status).toBe(401);
    });
  });
}

overviewSuite('sqlite');
overviewSuite('postgresql');

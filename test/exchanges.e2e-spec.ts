import type { RefundExchangePage, RefundView } from '@refundhub/core';
import { createLeshuaSandboxNotification } from '@refundhub/leshua/sandbox';

import { ApiHarness, KEYS, LESHUA_KEYS, MERCHANT, ORDER, refundBody, startApi } from './support/api-harness';
import { TestDialect, describeWithDialect } from './support/databases';

function exchangesSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'GET /refunds/:id/exchanges', () => {
    let h: ApiHarness;

    beforeEach(async () => {
      // No notify URL for the sandbox: the only notifications are the ones the tests post.
      h = await startApi(dialect, { notifications: false });
    });

    afterEach(async () => {
      await h.close();
    });

    const notification = (outcome: 'success' | 'processing', key = LESHUA_KEYS[MERCHANT].notifyKey) =>
      createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'R20250101000001',
        thirdOrderId: ORDER.merchantOrderNo,
        amount: 100,
        outcome,
        key,
      }).rawBody;
    const notify = (body: Buffer) => h.postRaw('/notify/leshua', body, 'text/xml');
    const exchanges = (id: string, query = '', key: string = KEYS.all) =>
      h.call<RefundExchangePage>('GET', `/refunds/${id}/exchanges${query}`, undefined, key);

    it('lists the submission, a sync and the notifications oldest first, with secrets redacted', async () => {
      const created = await h.call<RefundView>('POST', '/refunds', refundBody());
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect((await h.call('POST', `/refunds/${id}/sync`)).status).toBe(200);
      expect((await notify(notification('success', 'NOT-THE-NOTIFY-KEY'))).status).toBeGreaterThanOrEqual(400);
      // One notification, sent three times (the gateway's retries): one row, two repeats.
      const genuine = notification('success');
      for (let i = 0; i < 3; i += 1) expect((await notify(genuine)).text).toBe('000000');

      const page = await exchanges(id);
      expect(page.status).toBe(200);
      const items = page.body.items;
      expect(items.map((i) => [i.operation, i.outcome, i.changed, i.repeats])).toEqual([
        ['submit', 'applied', true, 0],
        ['query', expect.stringMatching(/^(applied|unchanged)$/), expect.any(Boolean), 0],
        ['notification', 'rejected_forged', false, 0],
        ...(items[1].changed
          ? [['notification', 'unchanged', false, 2]]
          : [
              ['notification', 'applied', true, 0],
              ['notification', 'unchanged', false, 1],
            ]),
      ]);
      expect(items[0].durationMs).toEqual(expect.any(Number));
      expect(items[2]).toMatchObject({ fields: null, durationMs: null, code: 'NOTIFICATION_REJECTED' });
      // Nothing of a key or a signature reaches the answer.
      for (const secret of [LESHUA_KEYS[MERCHANT].notifyKey, LESHUA_KEYS[MERCHANT].tradeKey]) {
        expect(page.text).not.toContain(secret);
      }
      for (const item of items) {
        for (const [name, value] of Object.entries(item.fields ?? {})) {
          if (/sign/i.test(name)) expect(value).toBe('[redacted]');
        }
      }
    });

    it('pages as the history does, and refuses a bad limit or cursor with a 400 naming it', async () => {
      const id = (await h.call<RefundView>('POST', '/refunds', refundBody())).body.id;
      await notify(notification('processing', 'NOT-THE-NOTIFY-KEY'));
      await notify(notification('processing'));
      await h.call('POST', `/refunds/${id}/sync`);
      const all = (await exchanges(id)).body.items;
      expect(all.map((i) => i.operation)).toEqual(['submit', 'notification', 'notification', 'query']);
      const first = await exchanges(id, '?limit=2');
      expect(first.body.items).toEqual(all.slice(0, 2));
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const rest = await exchanges(id, `?limit=200&cursor=${first.body.nextCursor}`);
      expect(rest.body).toEqual({ items: all.slice(2), nextCursor: null });

      const badCursor = await exchanges(id, '?cursor=not-a-cursor');
      expect(badCursor.status).toBe(400);
      expect(badCursor.body).toMatchObject({ errors: [{ field: 'cursor', message: expect.any(String) }] });
      const badLimit = await exchanges(id, '?limit=0');
      expect(badLimit.status).toBe(400);
      expect(badLimit.body).toMatchObject({ errors: [expect.objectContaining({ field: 'limit' })] });
      expect((await exchanges(id, '?limit=201')).status).toBe(400);
    });

    it("answers 404 for another merchant's refund and for one that does not exist", async () => {
      const id = (await h.call<RefundView>('POST', '/refunds', refundBody())).body.id;
      expect((await exchanges(id, '', KEYS.shop)).status).toBe(200);
      const hidden = await exchanges(id, '', KEYS.other);
      expect(hidden.status).toBe(404);
      expect(hidden.body).toMatchObject({ code: 'REFUND_NOT_FOUND' });
      expect((await exchanges('rf_00000000000000000000000000000000')).status).toBe(404);
      expect((await h.call('GET', `/refunds/${id}/exchanges`, undefined, null)).status).toBe(401);
    });
  });
}

exchangesSuite('sqlite');
exchangesSuite('postgresql');

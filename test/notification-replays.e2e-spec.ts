import { MikroORM } from '@mikro-orm/core';
import { Refund, type RefundHistoryView, type RefundView } from '@refundhub/core';

import { ApiHarness, KEYS, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';
import {
  NotifyingGateway,
  NotifyingSimulators,
  createNotifyingRefund,
  genuineNotification,
  startNotifyingSimulators,
} from './support/notifying-gateways';

interface HistoryPage {
  items: RefundHistoryView[];
  nextCursor: string | null;
}

/** The body each gateway reads as "received, stop sending". */
const ACK: Record<NotifyingGateway, (text: string) => boolean> = {
  leshua: (text) => text === '000000',
  umf: (text) => (JSON.parse(text) as { retCode?: string }).retCode === '0000',
  baofoo: (text) => text === 'OK',
};

/**
 * Replayed notifications: a genuine notification heard again is acknowledged as its gateway needs and
 * recorded once, its repeats counted on the row it left; the history is paged; a verified notification
 * without the amount its gateway always sends is refused and changes nothing.
 */
for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'notification replays over HTTP', () => {
    let h: ApiHarness;
    let simulators: NotifyingSimulators;
    let paidAt: Date;

    beforeEach(async () => {
      simulators = await startNotifyingSimulators();
      h = await startApi(dialect, { gateways: simulators.sections });
      paidAt = simulators.paidAt;
    });
    afterEach(async () => {
      await h.close();
      await simulators.stop();
    });

    const get = async (id: string) => (await h.call<RefundView>('GET', `/refunds/${id}`)).body;
    const history = async (id: string, query = '') => h.call<HistoryPage>('GET', `/refunds/${id}/history${query}`);
    const allHistory = async (id: string): Promise<RefundHistoryView[]> => {
      const items: RefundHistoryView[] = [];
      let cursor: string | null = null;
      do {
        const page: HistoryPage = (await history(id, cursor ? `?cursor=${cursor}` : '')).body;
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    };
    const notify = (gateway: NotifyingGateway, notification: { body: Buffer; contentType: string }) =>
      h.postRaw(`/notify/${gateway}`, notification.body, notification.contentType);
    const nextSyncAt = async (id: string) => (await h.app.get(MikroORM).em.fork().findOneOrFail(Refund, id)).nextSyncAt;

    it('records a captured status-10 notification replayed 21 times after success once, with 20 repeats, and acknowledges every one', async () => {
      const refund = await createNotifyingRefund(h, { gateway: 'leshua', refundNo: 'RP1', amount: 100, paidAt });
      const inProgress = genuineNotification({ gateway: 'leshua', refundNo: 'RP1', result: 'processing', amount: 100 });
      expect(await notify('leshua', inProgress)).toMatchObject({ status: 200, text: '000000' });
      const success = genuineNotification({ gateway: 'leshua', refundNo: 'RP1', result: 'success', amount: 100 });
      expect(await notify('leshua', success)).toMatchObject({ status: 200, text: '000000' });
      const settled = await get(refund.id);
      expect(settled.status).toBe('SUCCEEDED');
      const before = await h.rowCounts();

      const answers = [];
      for (let i = 0; i < 21; i++) answers.push(await notify('leshua', inProgress));
      expect(answers.map((a) => [a.status, a.text])).toEqual(Array(21).fill([200, '000000']));
      expect(answers[0].headers.get('refundhub-notification')).toBe('RECORDED');
      expect(answers.slice(1).map((a) => a.headers.get('refundhub-notification'))).toEqual(Array(20).fill('REPEATED'));

      expect((await h.rowCounts()).history).toBe(before.history + 1);
      const rows = await allHistory(refund.id);
      const heard = rows.filter((row) => !row.applied);
      expect(heard).toEqual([
        expect.objectContaining({
          from: 'SUCCEEDED',
          to: 'PROCESSING',
          source: 'notify',
          gatewayStatus: '10',
          repeats: 20,
        }),
      ]);
      expect(Date.parse(heard[0].lastHeardAt ?? '')).toBeGreaterThanOrEqual(Date.parse(heard[0].at));
      expect(await get(refund.id)).toEqual(settled);
    });

    it('keeps one row per different notification however they alternate', async () => {
      const refund = await createNotifyingRefund(h, { gateway: 'leshua', refundNo: 'RP2', amount: 100, paidAt });
      await notify(
        'leshua',
        genuineNotification({ gateway: 'leshua', refundNo: 'RP2', result: 'success', amount: 100 }),
      );
      const inProgress = genuineNotification({ gateway: 'leshua', refundNo: 'RP2', result: 'processing', amount: 100 });
      const failed = genuineNotification({ gateway: 'leshua', refundNo: 'RP2', result: 'fail', amount: 100 });
      for (let i = 0; i < 5; i++) {
        expect((await notify('leshua', failed)).text).toBe('000000');
        expect((await notify('leshua', inProgress)).text).toBe('000000');
      }
      const heard = (await allHistory(refund.id)).filter((row) => !row.applied);
      expect(heard.map((row) => [row.to, row.repeats])).toEqual([
        ['FAILED', 4],
        ['PROCESSING', 4],
      ]);
      expect(await get(refund.id)).toMatchObject({ status: 'SUCCEEDED', order: { refundedAmount: 100 } });
    });

    it.each(['umf', 'baofoo'] as const)(
      '%s: a replayed success is acknowledged and changes nothing more',
      async (gateway) => {
        const refund = await createNotifyingRefund(h, { gateway, refundNo: 'RP3', amount: 100, paidAt });
        const success = genuineNotification({ gateway, refundNo: 'RP3', result: 'success', amount: 100 });
        const first = await notify(gateway, success);
        expect(ACK[gateway](first.text)).toBe(true);
        const settled = await get(refund.id);
        expect(settled).toMatchObject({ status: 'SUCCEEDED', order: { refundedAmount: 100, reservedAmount: 100 } });
        const counts = await h.rowCounts();
        for (let i = 0; i < 3; i++) {
          const replay = await notify(gateway, success);
          expect(replay.status).toBe(200);
          expect(ACK[gateway](replay.text)).toBe(true);
        }
        expect(await h.rowCounts()).toEqual(counts);
        expect(await get(refund.id)).toEqual(settled);
      },
    );

    it('does not push the next query later when an in-progress notification is replayed', async () => {
      const refund = await createNotifyingRefund(h, { gateway: 'leshua', refundNo: 'RP4', amount: 100, paidAt });
      const due = await nextSyncAt(refund.id);
      const inProgress = genuineNotification({ gateway: 'leshua', refundNo: 'RP4', result: 'processing', amount: 100 });
      for (let i = 0; i < 3; i++) expect((await notify('leshua', inProgress)).text).toBe('000000');
      expect((await nextSyncAt(refund.id))?.getTime()).toBeLessThanOrEqual(due?.getTime() ?? 0);
      expect(await get(refund.id)).toMatchObject({ status: 'PROCESSING' });
    });

    describe('a verified notification without the amount its gateway always sends', () => {
      it.each([
        ['leshua', 'success'],
        ['leshua', 'fail'],
        ['leshua', 'processing'],
        ['umf', 'success'],
        ['umf', 'fail'],
        ['baofoo', 'success'],
      ] as const)('%s %s: 400 NOTIFICATION_AMOUNT_MISSING, nothing applied', async (gateway, result) => {
        const refund = await createNotifyingRefund(h, { gateway, refundNo: 'AM1', amount: 100, paidAt });
        const before = { counts: await h.rowCounts(), refund: await get(refund.id) };
        const answer = await notify(gateway, genuineNotification({ gateway, refundNo: 'AM1', result, amount: null }));
        expect(answer.status).toBe(400);
        expect(answer.headers.get('refundhub-notification')).toBe('NOTIFICATION_AMOUNT_MISSING');
        expect(ACK[gateway](answer.text)).toBe(false);
        expect(await h.rowCounts()).toEqual(before.counts);
        const after = await get(refund.id);
        expect({ ...after, updatedAt: before.refund.updatedAt }).toEqual(before.refund);
      });

      it('baofoo: a failure, which carries no succeeded amount, is still applied', async () => {
        const refund = await createNotifyingRefund(h, { gateway: 'baofoo', refundNo: 'AM2', amount: 100, paidAt });
        const answer = await notify(
          'baofoo',
          genuineNotification({ gateway: 'baofoo', refundNo: 'AM2', result: 'fail', amount: null }),
        );
        expect(answer).toMatchObject({ status: 200, text: 'OK' });
        expect(await get(refund.id)).toMatchObject({ status: 'FAILED', order: { reservedAmount: 0 } });
      });
    });

    describe('history pages', () => {
      let refundId: string;

      beforeEach(async () => {
        const refund = await createNotifyingRefund(h, { gateway: 'leshua', refundNo: 'HP1', amount: 100, paidAt });
        refundId = refund.id;
        await notify(
          'leshua',
          genuineNotification({ gateway: 'leshua', refundNo: 'HP1', result: 'success', amount: 100 }),
        );
        for (const result of ['fail', 'processing'] as const) {
          await notify('leshua', genuineNotification({ gateway: 'leshua', refundNo: 'HP1', result, amount: 100 }));
        }
      });

      it('walks the history oldest first, page by page, each row once', async () => {
        const whole = await history(refundId, '?limit=200');
        expect(whole.status).toBe(200);
        expect(whole.body.nextCursor).toBeNull();
        const all = whole.body.items;
        expect(all.map((row) => row.to)).toEqual(['REQUESTED', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'PROCESSING']);
        const walked: RefundHistoryView[] = [];
        let query = '?limit=2';
        for (;;) {
          const page = await history(refundId, query);
          expect(page.status).toBe(200);
          expect(page.body.items.length).toBeLessThanOrEqual(2);
          walked.push(...page.body.items);
          if (!page.body.nextCursor) break;
          query = `?limit=2&cursor=${page.body.nextCursor}`;
        }
        expect(walked).toEqual(all);
        expect((await history(refundId)).body).toEqual({ items: all, nextCursor: null });
      });

      it.each([
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['limit=-1', 'limit'],
        ['limit=1.5', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=1e2', 'limit'],
        ['limit=', 'limit'],
        ['cursor=not-a-cursor', 'cursor'],
        [`cursor=${Buffer.from('rf_0123').toString('base64url')}`, 'cursor'],
        [`cursor=${'A'.repeat(600)}`, 'cursor'],
        [`cursor=${Buffer.from('9223372036854775808').toString('base64url')}`, 'cursor'],
        ['offset=1', 'offset'],
      ])('answers 400 to ?%s', async (query, field) => {
        const answer = await h.call<{ code: string; errors: Array<{ field: string }> }>(
          'GET',
          `/refunds/${refundId}/history?${query}`,
        );
        expect(answer.status).toBe(400);
        expect(['VALIDATION_FAILED', 'REFUND_INVALID']).toContain(answer.body.code);
        expect(answer.body.errors.map((e) => e.field)).toContain(field);
      });

      it('hides the history of another merchant’s refund', async () => {
        expect((await h.call('GET', `/refunds/${refundId}/history`, undefined, KEYS.other)).status).toBe(404);
      });
    });
  });
}

import { RefundExchange } from '../../entities/refund-exchange.entity';
import { RefundValidationError } from '../../errors';
import { RefundEventPublisher } from '../../events';
import type { InboundNotification } from '../../gateway/refund-gateway.port';
import { exchangeFieldsOf, isRedacted } from '../../refund/refund-exchanges';
import { historyCursor } from '../../refund/refund-history.query';
import { FakeGateway, type FakeNotification } from '../fake-gateway';
import { CoreHarness, createCoreHarness } from './core-harness';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

const notification = (body: Partial<FakeNotification> & object): InboundNotification => ({
  rawBody: Buffer.from(JSON.stringify({ merchantId: 'm1', refundNo: 'R1', sign: 'valid', ...body })),
  contentType: 'application/json',
  headers: {},
});

/** The gateway exchange log of refund-core: what is recorded, counted, redacted, and rolled back. */
export function refundExchangesSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundService exchanges', () => {
    let db: TestDatabase;
    let h: CoreHarness;
    let gateway: FakeGateway;

    const rows = (refundId: string) =>
      h.orm.em.fork().find(RefundExchange, { refund: refundId }, { orderBy: { id: 'asc' } });

    beforeEach(async () => {
      db = await createTestDatabase(dialect);
      gateway = new FakeGateway('fake');
      h = await createCoreHarness(db.options, { gateway });
    });

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    it('records a submission, a sync query and a notification, each with its outcome', async () => {
      const { refund } = await h.refunds.request(command());
      gateway.onQuery({ kind: 'processing', rawStatus: 'ACCEPTED' });
      await h.refunds.sync(refund.id);
      await h.refunds.handleNotification('fake', notification({ status: 'succeeded', amount: 100 }));

      const page = await h.refunds.exchangesPage(refund.id);
      expect(page.nextCursor).toBeNull();
      expect(page.items).toEqual([
        expect.objectContaining({
          operation: 'submit',
          at: h.clock.now().toISOString(),
          gatewayStatus: 'ACCEPTED',
          outcome: 'applied',
          changed: true,
          repeats: 0,
          fields: { kind: 'processing', rawStatus: 'ACCEPTED', gatewayRefundNo: 'G-R1' },
        }),
        expect.objectContaining({
          operation: 'query',
          gatewayStatus: 'ACCEPTED',
          outcome: 'unchanged',
          changed: false,
        }),
        expect.objectContaining({
          operation: 'notification',
          durationMs: null,
          gatewayStatus: 'DONE',
          outcome: 'applied',
          changed: true,
          fields: {
            kind: 'succeeded',
            rawStatus: 'DONE',
            merchantId: 'm1',
            refundNo: 'R1',
            amount: 100,
            'echo.refundNo': 'R1',
          },
        }),
      ]);
      for (const item of page.items.slice(0, 2)) expect(item.durationMs).toEqual(expect.any(Number));
    });

    it('dates a submission and a query when they were sent, not when their answers came', async () => {
      const sentAt = h.clock.now().toISOString();
      gateway.onSubmit(async () => {
        h.clock.advance(5_000);
        return { kind: 'processing', rawStatus: 'ACCEPTED' };
      });
      const { refund } = await h.refunds.request(command());
      const askedAt = h.clock.now().toISOString();
      gateway.onQuery(async () => {
        h.clock.advance(3_000);
        return { kind: 'processing', rawStatus: 'ACCEPTED' };
      });
      await h.refunds.sync(refund.id);
      expect((await h.refunds.exchangesPage(refund.id)).items.map((i) => [i.operation, i.at])).toEqual([
        ['submit', sentAt],
        ['query', askedAt],
      ]);
    });

    it('records a failed submission and an unknown one with their words', async () => {
      gateway.onSubmit(
        { kind: 'failed', rawStatus: 'REFUSED', code: 'AMOUNT_TOO_HIGH', message: 'refused' },
        { kind: 'unknown', reason: 'timeout', detail: 'no answer within 10 ms' },
      );
      const failed = (await h.refunds.request(command())).refund;
      const unknown = (await h.refunds.request(command({ refundNo: 'R2' }))).refund;
      expect((await h.refunds.exchangesPage(failed.id)).items).toEqual([
        expect.objectContaining({
          operation: 'submit',
          outcome: 'applied',
          changed: true,
          gatewayStatus: 'REFUSED',
          code: 'AMOUNT_TOO_HIGH',
          message: 'refused',
        }),
      ]);
      expect((await h.refunds.exchangesPage(unknown.id)).items).toEqual([
        expect.objectContaining({ outcome: 'unknown', code: 'TIMEOUT', message: 'no answer within 10 ms' }),
      ]);
    });

    it('records a query the gateway answers "not found" before the resubmission it leads to', async () => {
      gateway.onSubmit({ kind: 'unknown', reason: 'http_5xx', detail: 'HTTP 502' });
      const { refund } = await h.refunds.request(command());
      gateway.onQuery({ kind: 'not_found', code: 'NO_SUCH_REFUND', message: 'refund not found' });
      await h.refunds.sync(refund.id);
      const items = (await h.refunds.exchangesPage(refund.id)).items;
      expect(items.map((i) => [i.operation, i.outcome, i.code])).toEqual([
        ['submit', 'unknown', 'HTTP_5XX'],
        ['query', 'unchanged', 'NO_SUCH_REFUND'],
        ['submit', 'applied', null],
      ]);
    });

    it('counts a repeated identical notification on its row instead of adding one', async () => {
      const { refund } = await h.refunds.request(command());
      await h.refunds.handleNotification('fake', notification({ status: 'processing' }));
      h.clock.advance(1_000);
      await h.refunds.handleNotification('fake', notification({ status: 'processing' }));
      h.clock.advance(1_000);
      await h.refunds.handleNotification('fake', notification({ status: 'processing' }));
      const notified = (await rows(refund.id)).filter((r) => r.operation === 'notification');
      expect(notified).toHaveLength(1);
      expect(notified[0]).toMatchObject({ outcome: 'unchanged', changed: false, repeats: 2 });
      expect(notified[0].lastAt?.toISOString()).toBe(h.clock.now().toISOString());
    });

    it('records a forged notification as rejected, without its fields, and changes nothing', async () => {
      const { refund } = await h.refunds.request(command());
      const forged = notification({ status: 'succeeded', amount: 100, sign: 'forged', message: 'card 6222 0000' });
      expect((await h.refunds.handleNotification('fake', forged)).result).toBe('NOTIFICATION_REJECTED');
      await h.refunds.handleNotification('fake', forged);
      expect((await h.refunds.get(refund.id)).status).toBe('PROCESSING');
      const notified = (await rows(refund.id)).filter((r) => r.operation === 'notification');
      expect(notified).toHaveLength(1);
      expect(notified[0]).toMatchObject({
        outcome: 'rejected_forged',
        changed: false,
        fields: null,
        gatewayStatus: null,
        message: null,
        code: 'NOTIFICATION_REJECTED',
        repeats: 1,
      });
    });

    it('records nothing for a forged notification naming no refund it has', async () => {
      await h.refunds.handleNotification('fake', notification({ status: 'succeeded', refundNo: 'NOPE', sign: 'x' }));
      expect(await h.orm.em.fork().count(RefundExchange, {})).toBe(0);
    });

    it('records a notification about another amount as mismatched, and does not apply it', async () => {
      const { refund } = await h.refunds.request(command());
      await h.refunds.handleNotification('fake', notification({ status: 'succeeded', amount: 99 }));
      expect((await h.refunds.get(refund.id)).status).toBe('PROCESSING');
      const last = (await rows(refund.id)).pop();
      expect(last).toMatchObject({ operation: 'notification', outcome: 'mismatched', changed: false });
    });

    it('records a notification that contradicts a final refund as mismatched, counted when heard again', async () => {
      const { refund } = await h.refunds.request(command());
      await h.refunds.handleNotification('fake', notification({ status: 'succeeded', amount: 100 }));
      for (let i = 0; i < 2; i += 1) {
        expect((await h.refunds.handleNotification('fake', notification({ status: 'failed' }))).result).toMatch(
          /^(RECORDED|REPEATED)$/,
        );
      }
      expect((await h.refunds.get(refund.id)).status).toBe('SUCCEEDED');
      const last = (await rows(refund.id)).pop();
      expect(last).toMatchObject({
        operation: 'notification',
        outcome: 'mismatched',
        changed: false,
        code: 'NOTIFIED_FAIL',
        repeats: 1,
      });
    });

    it('never stores the value of a key, signature or customer field', async () => {
      const fields = exchangeFieldsOf(
        { kind: 'processing', rawStatus: 'ACCEPTED' },
        {
          merchantId: 'm1',
          refundNo: 'R1',
          echo: { sign: 's3cr3t', sign_type: 'RSA', tradeKey: 'k', card_no: '6222', buyer_name: 'Li', order_id: 'T1' },
        },
      );
      expect(fields).toMatchObject({
        'echo.sign': '[redacted]',
        'echo.sign_type': '[redacted]',
        'echo.tradeKey': '[redacted]',
        'echo.card_no': '[redacted]',
        'echo.buyer_name': '[redacted]',
        'echo.order_id': 'T1',
      });
      expect(JSON.stringify(fields)).not.toMatch(/s3cr3t|6222|"Li"/);
      expect(['refundNo', 'rawStatus', 'gatewayRefundNo', 'amount'].some(isRedacted)).toBe(false);

      const { refund } = await h.refunds.request(command());
      const parse = gateway.notifications!.parse.bind(gateway.notifications);
      jest.spyOn(gateway.notifications!, 'parse').mockImplementationOnce(async (n) => {
        const parsed = await parse(n);
        return parsed.kind === 'verified' ? { ...parsed, echo: { refundNo: 'R1', sign: 's3cr3t' } } : parsed;
      });
      await h.refunds.handleNotification('fake', notification({ status: 'processing' }));
      const stored = (await rows(refund.id)).map((r) => r.fields ?? '').join('\n');
      expect(stored).toContain('"echo.sign":"[redacted]"');
      expect(stored).not.toContain('s3cr3t');
    });

    it('rolls the exchange row back with the change it caused when that change fails', async () => {
      const { refund } = await h.refunds.request(command());
      const before = (await rows(refund.id)).length;
      jest.spyOn(h.app.get(RefundEventPublisher), 'record').mockImplementationOnce(() => {
        throw new Error('the outbox is full');
      });
      await expect(
        h.refunds.handleNotification('fake', notification({ status: 'succeeded', amount: 100 })),
      ).rejects.toThrow('the outbox is full');
      expect((await h.refunds.get(refund.id)).status).toBe('PROCESSING');
      expect(await rows(refund.id)).toHaveLength(before);
    });

    it('pages oldest first with the history’s cursors and limits', async () => {
      const { refund } = await h.refunds.request(command());
      for (const status of ['processing', 'succeeded', 'failed'] as const) {
        await h.refunds.handleNotification('fake', notification({ status, amount: 100 }));
      }
      const all = (await h.refunds.exchangesPage(refund.id)).items;
      expect(all.length).toBe(4);
      const first = await h.refunds.exchangesPage(refund.id, { limit: 3 });
      expect(first.items).toEqual(all.slice(0, 3));
      expect(first.nextCursor).toBe(historyCursor(all[2].id));
      const second = await h.refunds.exchangesPage(refund.id, { limit: 3, cursor: first.nextCursor! });
      expect(second).toEqual({ items: all.slice(3), nextCursor: null });
      await expect(h.refunds.exchangesPage(refund.id, { limit: 0 })).rejects.toBeInstanceOf(RefundValidationError);
      await expect(h.refunds.exchangesPage(refund.id, { cursor: 'bad!' })).rejects.toBeInstanceOf(
        RefundValidationError,
      );
    });
  });
}

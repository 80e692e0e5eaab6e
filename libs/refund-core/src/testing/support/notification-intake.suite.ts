import { Refund } from '../../entities/refund.entity';
import { RefundHistory } from '../../entities/refund-history.entity';
import { RefundNotFoundError, RefundValidationError } from '../../errors';
import { DEFAULT_NOTIFICATION_BODY_LIMIT, type InboundNotification } from '../../gateway/refund-gateway.port';
import { CoreHarness, createCoreHarness } from './core-harness';
import { FakeGateway, type FakeGatewayOptions, type FakeNotification } from '../fake-gateway';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

const notification = (body: Partial<FakeNotification> & object): InboundNotification => ({
  rawBody: Buffer.from(JSON.stringify({ merchantId: 'm1', refundNo: 'R1', sign: 'valid', ...body })),
  contentType: 'application/json',
  headers: {},
});

/** What the core does with a notification before and after its gateway verified it, on a real database. */
export function notificationIntakeSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundService notifications', () => {
    let db: TestDatabase;
    let h: CoreHarness;

    const start = async (options: FakeGatewayOptions = {}) => {
      db = await createTestDatabase(dialect);
      h = await createCoreHarness(db.options, { gateway: new FakeGateway('fake', options) });
    };
    const row = (id: string) => h.orm.em.fork().findOneOrFail(Refund, id, { populate: ['order'] });
    const historyRows = () => h.orm.em.fork().count(RefundHistory, {});

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    it('refuses a body over the gateway’s limit before the gateway parses it, and changes nothing', async () => {
      await start({ notificationMaxBodyBytes: 64 });
      const { refund } = await h.refunds.request(command());
      const body = notification({ status: 'succeeded', amount: 100, message: 'x'.repeat(64) });
      expect(body.rawBody.length).toBeGreaterThan(64);
      expect(await h.refunds.handleNotification('fake', body)).toMatchObject({
        status: 400,
        result: 'NOTIFICATION_TOO_LARGE',
      });
      expect((await h.refunds.get(refund.id)).status).toBe('PROCESSING');
      expect(h.refunds.notificationBodyLimit('fake')).toBe(64);
    });

    it('gives a gateway that declares no limit, and an unknown one, the default', async () => {
      await start();
      expect(h.refunds.notificationBodyLimit('fake')).toBe(DEFAULT_NOTIFICATION_BODY_LIMIT);
      expect(h.refunds.notificationBodyLimit('nope')).toBe(DEFAULT_NOTIFICATION_BODY_LIMIT);
    });

    describe('a verified notification without the amount its gateway always sends', () => {
      beforeEach(() => start({ notificationAmountSentWith: ['succeeded'] }));

      it('is refused, not applied, and the refund is asked about now instead', async () => {
        const { refund } = await h.refunds.request(command());
        const before = await historyRows();
        const answer = await h.refunds.handleNotification('fake', notification({ status: 'succeeded' }));
        expect(answer).toMatchObject({ status: 400, body: 'FAIL', result: 'NOTIFICATION_AMOUNT_MISSING' });
        const after = await row(refund.id);
        expect(after).toMatchObject({ status: 'PROCESSING', order: { reservedAmount: 100, refundedAmount: 0 } });
        expect(after.nextSyncAt?.getTime()).toBe(h.clock.now().getTime());
        expect(await historyRows()).toBe(before);
      });

      it('is applied when the gateway does not always send one for that outcome', async () => {
        const { refund } = await h.refunds.request(command());
        const answer = await h.refunds.handleNotification('fake', notification({ status: 'failed' }));
        expect(answer).toMatchObject({ body: 'OK R1', result: 'APPLIED' });
        expect(await row(refund.id)).toMatchObject({ status: 'FAILED', order: { reservedAmount: 0 } });
      });
    });

    describe('replays', () => {
      beforeEach(() => start());

      it('says UNCHANGED for a notification that agrees with the refund, and APPLIED for one that moves it', async () => {
        await h.refunds.request(command());
        expect((await h.refunds.handleNotification('fake', notification({ status: 'processing' }))).result).toBe(
          'UNCHANGED',
        );
        expect(
          (await h.refunds.handleNotification('fake', notification({ status: 'succeeded', amount: 100 }))).result,
        ).toBe('APPLIED');
        expect(
          (await h.refunds.handleNotification('fake', notification({ status: 'succeeded', amount: 100 }))).result,
        ).toBe('UNCHANGED');
      });

      it('records a notification that contradicts a final refund once, and counts every repeat on its row', async () => {
        const { refund } = await h.refunds.request(command());
        await h.refunds.handleNotification('fake', notification({ status: 'succeeded', amount: 100 }));
        const rows = await historyRows();
        const results = [];
        for (let i = 0; i < 5; i++) {
          h.clock.advance(1000);
          const answer = await h.refunds.handleNotification('fake', notification({ status: 'failed', amount: 100 }));
          expect(answer.body).toBe('OK R1');
          results.push(answer.result);
        }
        expect(results).toEqual(['RECORDED', 'REPEATED', 'REPEATED', 'REPEATED', 'REPEATED']);
        expect(await historyRows()).toBe(rows + 1);
        const heard = (await h.refunds.history(refund.id)).filter((entry) => !entry.applied);
        expect(heard).toEqual([
          expect.objectContaining({ from: 'SUCCEEDED', to: 'FAILED', source: 'notify', repeats: 4 }),
        ]);
        expect(heard[0].lastHeardAt).toBe(h.clock.now().toISOString());
        expect(await row(refund.id)).toMatchObject({ status: 'SUCCEEDED', order: { refundedAmount: 100 } });
      });

      it('records a notification of another amount once too, and still refuses it every time', async () => {
        const { refund } = await h.refunds.request(command());
        for (let i = 0; i < 3; i++) {
          const answer = await h.refunds.handleNotification('fake', notification({ status: 'succeeded', amount: 99 }));
          expect(answer).toMatchObject({ body: 'FAIL', result: 'NOTIFICATION_AMOUNT_MISMATCH' });
        }
        const heard = (await h.refunds.history(refund.id)).filter((entry) => !entry.applied);
        expect(heard).toEqual([expect.objectContaining({ to: 'SUCCEEDED', repeats: 2 })]);
        expect((await row(refund.id)).status).toBe('PROCESSING');
      });

      it('never moves the next query later for an in-progress notification heard again', async () => {
        const { refund } = await h.refunds.request(command());
        const due = (await row(refund.id)).nextSyncAt?.getTime();
        for (let i = 0; i < 3; i++) {
          h.clock.advance(2000);
          await h.refunds.handleNotification('fake', notification({ status: 'processing' }));
          expect((await row(refund.id)).nextSyncAt?.getTime()).toBe(due);
        }
      });
    });

    it('answers a notification its gateway could not handle as an error, and changes nothing', async () => {
      await start();
      const { refund } = await h.refunds.request(command());
      const notifications = h.gateway.notifications;
      if (!notifications) throw new Error('the fake gateway notifies');
      jest.spyOn(notifications, 'parse').mockRejectedValueOnce(new Error('parser broke\n[Nest] forged\u001b[2K'));
      expect(
        await h.refunds.handleNotification('fake', notification({ status: 'succeeded', amount: 100 })),
      ).toMatchObject({ body: 'FAIL', result: 'NOTIFICATION_ERROR' });
      expect((await row(refund.id)).status).toBe('PROCESSING');
    });

    describe('history pages', () => {
      beforeEach(() => start());

      it('walks the history oldest first, each row once, and says where the next page starts', async () => {
        const { refund } = await h.refunds.request(command());
        await h.refunds.handleNotification('fake', notification({ status: 'succeeded', amount: 100 }));
        await h.refunds.handleNotification('fake', notification({ status: 'failed', amount: 100 }));
        const whole = await h.refunds.history(refund.id);
        expect(whole.length).toBeGreaterThanOrEqual(4);
        const walked = [];
        let cursor: string | undefined;
        do {
          const page = await h.refunds.historyPage(refund.id, { limit: 1, ...(cursor ? { cursor } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(1);
          walked.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(walked).toEqual(whole);
        expect(await h.refunds.historyPage(refund.id)).toEqual({ items: whole, nextCursor: null });
      });

      it.each([
        [{ limit: 0 }, 'limit'],
        [{ limit: 201 }, 'limit'],
        [{ limit: 1.5 }, 'limit'],
        [{ cursor: 'not a cursor' }, 'cursor'],
        [{ cursor: Buffer.from('0').toString('base64url') }, 'cursor'],
        [{ cursor: Buffer.from('12345678901234567890').toString('base64url') }, 'cursor'],
        [{ cursor: Buffer.from('9223372036854775808').toString('base64url') }, 'cursor'],
        [{ cursor: `${Buffer.from('12').toString('base64url')}=` }, 'cursor'],
      ])('refuses %p, naming %s', async (page, field) => {
        const { refund } = await h.refunds.request(command());
        const refusal = h.refunds.historyPage(refund.id, page);
        await expect(refusal).rejects.toBeInstanceOf(RefundValidationError);
        await expect(refusal).rejects.toMatchObject({ problems: [expect.objectContaining({ field })] });
      });

      it('says so for a refund it does not have', async () => {
        await expect(h.refunds.historyPage('rf_nope')).rejects.toBeInstanceOf(RefundNotFoundError);
      });
    });
  });
}

import { Refund } from '../entities/refund.entity';
import { RefundHistory } from '../entities/refund-history.entity';
import { RefundOrder } from '../entities/refund-order.entity';
import { RefundNotFoundError, RefundValidationError } from '../errors';
import { WebhookDeliveryNotFoundError } from '../webhooks/webhook-errors';
import { WebhookService } from '../webhooks/webhook.service';
import { CoreHarness, createCoreHarness } from '../testing/support/core-harness';
import { command } from '../testing/support/refund-service.suite';
import { TestDatabase, createTestDatabase, describeWithDialect } from '../testing/support/test-databases';

const NUL = 'must not contain a NUL character (U+0000)';
const LONE_SURROGATE = 'must be well-formed Unicode: it contains a lone surrogate';

const notification = (body: object) => ({
  rawBody: Buffer.from(JSON.stringify(body)),
  contentType: 'application/json',
  headers: {},
});

/** A host app calling RefundService directly gets the API's refusals of text the database cannot keep. */
for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'RefundService and text that cannot be stored as sent', () => {
    let db: TestDatabase;
    let h: CoreHarness;

    beforeEach(async () => {
      db = await createTestDatabase(dialect);
      h = await createCoreHarness(db.options);
    });

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    const rows = async () => {
      const em = h.orm.em.fork();
      return [await em.count(Refund, {}), await em.count(RefundOrder, {}), await em.count(RefundHistory, {})];
    };

    const refusal = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(RefundValidationError);
      return (error as RefundValidationError).problems;
    };

    it('refuses a NUL or a lone surrogate in any text of a request, gatewayOptions included, and writes nothing', async () => {
      const problems = await refusal(
        h.refunds.request(
          command({
            reason: 'x\ud800y',
            refundNo: 'R\u00001',
            order: { merchantOrderNo: 'T1', gatewayOrderNo: 'G\udc00', totalAmount: 300 },
            gatewayOptions: { note: ['ok', 'a\u0000'], ['k\u0000']: 1 },
          }),
        ),
      );
      expect(problems).toEqual([
        { field: 'refundNo', message: NUL },
        { field: 'order.gatewayOrderNo', message: LONE_SURROGATE },
        { field: 'reason', message: LONE_SURROGATE },
        { field: 'gatewayOptions', message: 'has a key with a NUL character (U+0000)' },
        { field: 'gatewayOptions.note[1]', message: NUL },
      ]);
      expect(await rows()).toEqual([0, 0, 0]);
    });

    it('refuses an invalid paidAt and gatewayOptions nested past 32 levels', async () => {
      let deep: unknown = 1;
      for (let i = 0; i < 40; i++) deep = [deep];
      const problems = await refusal(
        h.refunds.request(
          command({
            order: { merchantOrderNo: 'T1', totalAmount: 300, paidAt: new Date('2025-001x') },
            gatewayOptions: { deep },
          }),
        ),
      );
      expect(problems).toEqual([
        { field: 'gatewayOptions.deep' + '[0]'.repeat(31), message: 'is nested more than 32 levels deep' },
        { field: 'order.paidAt', message: 'must be a valid date' },
      ]);
    });

    it('answers an id with a NUL as a missing refund, and a filter with one as a bad filter', async () => {
      await expect(h.refunds.get('rf_\u0000')).rejects.toBeInstanceOf(RefundNotFoundError);
      await expect(h.refunds.sync('rf_\u0000')).rejects.toBeInstanceOf(RefundNotFoundError);
      const problems = await refusal(h.refunds.list({ merchantOrderNo: 'T\u00001', gateway: '\ud800' }, '*'));
      expect(problems).toEqual([
        { field: 'gateway', message: LONE_SURROGATE },
        { field: 'merchantOrderNo', message: NUL },
      ]);
      expect(await h.app.get(WebhookService).deliveriesOf('rf_\u0000')).toEqual([]);
      await expect(
        h.app.get(WebhookService).retry({ refundId: 'rf_1', deliveryId: 'wd_\u0000' }),
      ).rejects.toBeInstanceOf(WebhookDeliveryNotFoundError);
      expect(
        await refusal(h.refunds.list({ createdFrom: new Date(Number.NaN), createdTo: new Date('+010000-01-01') }, '*')),
      ).toEqual([
        { field: 'createdFrom', message: 'must be a valid date' },
        { field: 'createdTo', message: 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z' },
      ]);
    });

    it('rejects a notification naming a refund with a NUL, forged or signed, without asking the database', async () => {
      await h.refunds.request(command());
      for (const sign of ['forged', 'valid']) {
        const answer = await h.refunds.handleNotification(
          'fake',
          notification({ merchantId: 'm1\u0000', refundNo: 'R1\u0000', status: 'succeeded', amount: 100, sign }),
        );
        expect(answer).toMatchObject({ status: 400, body: 'FAIL' });
      }
      expect((await h.refunds.list({}, '*')).items[0].status).toBe('PROCESSING');
    });
  });
}

import type { RefundView } from '@refundhub/core';

import { ApiHarness, CY_MERCHANT, CY_ORDER, KEYS, refundBody, startApi } from './support/api-harness';

interface ErrorAnswer {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  errors?: Array<{ field: string; message: string }>;
}

const FRACTION = 'must be an integer number of fen (1 yuan = 100), not a fraction';
const LESHUA_REFUND_NO = 'must be 1 to 64 letters or digits for Leshua';

/** One 400 lists every problem of a request: its shape, the money rules and the gateway's own limits. */
describe('POST /refunds answers every problem of a request at once [SQLite]', () => {
  let h: ApiHarness;

  afterEach(() => h.close());

  const post = (body: unknown, key: string = KEYS.all) => h.call<ErrorAnswer>('POST', '/refunds', body, key);
  /** Nothing recorded, and nothing sent to any gateway. */
  const nothingWritten = async () => {
    expect(await h.rowCounts()).toEqual({ refunds: 0, orders: 0, history: 0 });
    expect(h.sandbox.requests()).toHaveLength(0);
    expect(h.chaoying?.requests() ?? []).toHaveLength(0);
  };

  describe('on Leshua', () => {
    beforeEach(async () => {
      h = await startApi('sqlite');
    });

    it("names a fractional amount and Leshua's refund number limit in one 400", async () => {
      const answer = await post(refundBody({ amount: 1.5, refundNo: 'R-bad!' }));
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
        message: 'Validation failed',
        errors: [
          { field: 'amount', message: FRACTION },
          { field: 'refundNo', message: LESHUA_REFUND_NO },
        ],
      });
      await nothingWritten();
    });

    it('lists three independent problems, field-level first', async () => {
      const answer = await post(
        refundBody({
          amount: 1.5,
          refundNo: 'R 20250101',
          order: { merchantOrderNo: 'T'.repeat(65), totalAmount: 300 },
        }),
      );
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        { field: 'amount', message: FRACTION },
        { field: 'order.merchantOrderNo', message: 'must be at most 64 characters' },
        { field: 'refundNo', message: LESHUA_REFUND_NO },
      ]);
      await nothingWritten();
    });

    it('says nothing more about a field that already has a field-level problem', async () => {
      const answer = await post(refundBody({ amount: 0, refundNo: 'R'.repeat(65) }));
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        { field: 'refundNo', message: 'must be at most 64 characters' },
        { field: 'amount', message: 'must be at least 1 fen' },
      ]);
      await nothingWritten();
    });

    it("answers a gateway limit alone with the same code as the body's problems", async () => {
      const answer = await post(refundBody({ refundNo: 'R_2025_01' }));
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'refundNo', message: LESHUA_REFUND_NO }],
      });
      await nothingWritten();
    });

    it('keeps an unknown gateway or merchant a 404 when the fields are well-formed', async () => {
      expect((await post(refundBody({ gateway: 'paypal' }))).body).toMatchObject({
        statusCode: 404,
        code: 'GATEWAY_UNKNOWN',
      });
      expect((await post(refundBody({ merchantId: '0000009999', refundNo: 'R_1' }))).body).toMatchObject({
        statusCode: 404,
        code: 'MERCHANT_UNKNOWN',
      });
      await nothingWritten();
    });

    it('answers a well-formed request 201, and a refund over the balance with a bad field 400, not 422', async () => {
      const created = await h.call<RefundView>('POST', '/refunds', refundBody({ amount: 250 }));
      expect(created.status).toBe(201);
      expect(h.sandbox.requests()).toHaveLength(1);
      const before = await h.rowCounts();

      const answer = await post(refundBody({ refundNo: 'R-2', amount: 100 }));
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([{ field: 'refundNo', message: LESHUA_REFUND_NO }]);
      expect(await h.rowCounts()).toEqual(before);
      expect(h.sandbox.requests()).toHaveLength(1);
      expect((await post(refundBody({ refundNo: 'R2', amount: 100 }))).status).toBe(422);
    });
  });

  describe('on ChaoYing', () => {
    beforeEach(async () => {
      h = await startApi('sqlite', { chaoying: {} });
    });

    const body = (overrides: Record<string, unknown> = {}) => ({
      gateway: 'chaoying',
      merchantId: CY_MERCHANT,
      refundNo: 'CYR1',
      amount: 100,
      order: { ...CY_ORDER },
      ...overrides,
    });

    it("names a zero amount, ChaoYing's 32-character out_refund_no and its required pay method in one 400", async () => {
      const answer = await post(
        body({
          amount: 0,
          refundNo: 'R'.repeat(33),
          order: { merchantOrderNo: CY_ORDER.merchantOrderNo, totalAmount: CY_ORDER.totalAmount },
        }),
      );
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      expect(answer.body.errors).toEqual([
        { field: 'amount', message: 'must be at least 1 fen' },
        { field: 'refundNo', message: expect.stringContaining('1 to 32') },
        { field: 'order.payMethod', message: expect.stringContaining('is required for ChaoYing') },
      ]);
      await nothingWritten();
    });

    it('still checks the pay method of an order that has no order number', async () => {
      const answer = await post(body({ order: { totalAmount: CY_ORDER.totalAmount } }));
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((e) => e.field)).toEqual(['order', 'order.payMethod']);
      await nothingWritten();
    });

    it('answers a well-formed request 201', async () => {
      const created = await h.call<RefundView>('POST', '/refunds', body());
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ gateway: 'chaoying', refundNo: 'CYR1', amount: 100 });
      expect(h.chaoying?.requests()).toHaveLength(1);
    });
  });
});

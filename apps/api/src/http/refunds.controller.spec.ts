import { RefundExceedsBalanceError, RefundNotFoundError, RefundValidationError } from '@refundhub/core';

import { RefundsController } from './refunds.controller';
import { ADMIN_KEY, HttpTestApp, SHOP_A_KEY, bearer, createHttpTestApp, refundView } from './testing/http-test-app';

const body = {
  gateway: 'leshua',
  merchantId: '0000000018',
  refundNo: 'R20250101000001',
  amount: 100,
  order: {
    merchantOrderNo: 'T20250101000001',
    gatewayOrderNo: null,
    totalAmount: 300,
    paidAt: '2025-01-01T12:00:00+08:00',
  },
};

describe(RefundsController.name, () => {
  let sut: HttpTestApp;

  beforeAll(async () => {
    sut = await createHttpTestApp();
  });

  afterAll(() => sut.app.close());

  beforeEach(() => jest.clearAllMocks());

  function inject(options: { method: 'GET' | 'POST'; url: string; key?: string; payload?: unknown }) {
    return sut.app.inject({
      method: options.method,
      url: options.url,
      headers: options.key ? bearer(options.key) : {},
      payload: options.payload as Record<string, unknown> | undefined,
    });
  }

  describe('POST /refunds', () => {
    it('answers 201 with the refund when it is created, after mapping the body to a command', async () => {
      const refund = refundView();
      sut.refunds.request.mockResolvedValue({ refund, created: true });

      const res = await inject({ method: 'POST', url: '/refunds', key: SHOP_A_KEY, payload: body });

      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual(refund);
      expect(sut.refunds.request).toHaveBeenCalledWith({
        ...body,
        order: { ...body.order, paidAt: new Date('2025-01-01T04:00:00.000Z'), payMethod: null },
        reason: null,
        notifyUrl: null,
        gatewayOptions: {},
        requestedBy: 'shop-a',
      });
    });

    it("answers 400 naming notifyUrl when its webhooks could never be sent, asking with the key's name", async () => {
      sut.webhooks.notifyUrlProblems.mockReturnValueOnce([
        { field: 'notifyUrl', message: 'cannot be used: no secret' },
      ]);
      const notifyUrl = 'https://shop.example.com/hooks';

      const res = await inject({ method: 'POST', url: '/refunds', key: SHOP_A_KEY, payload: { ...body, notifyUrl } });

      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'notifyUrl', message: 'cannot be used: no secret' }],
      });
      expect(sut.webhooks.notifyUrlProblems).toHaveBeenCalledWith({ notifyUrl, requestedBy: 'shop-a' });
      expect(sut.refunds.request).not.toHaveBeenCalled();
    });

    it('answers 200 with the same refund when the request is replayed', async () => {
      sut.refunds.request.mockResolvedValue({ refund: refundView(), created: false });
      const res = await inject({ method: 'POST', url: '/refunds', key: SHOP_A_KEY, payload: body });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: 'rf_01' });
    });

    it('answers 401 without a key, before validating anything', async () => {
      const res = await inject({ method: 'POST', url: '/refunds', payload: {} });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="refundhub"');
      expect(res.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    });

    it("answers 403 FORBIDDEN_MERCHANT for a merchant outside the key's scope", async () => {
      const res = await inject({
        method: 'POST',
        url: '/refunds',
        key: SHOP_A_KEY,
        payload: { ...body, merchantId: '0000000019' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'FORBIDDEN_MERCHANT' });
      expect(sut.refunds.request).not.toHaveBeenCalled();
    });

    it('lets a "*" key act for any merchant', async () => {
      sut.refunds.request.mockResolvedValue({ refund: refundView({ merchantId: '0000000019' }), created: true });
      const res = await inject({
        method: 'POST',
        url: '/refunds',
        key: ADMIN_KEY,
        payload: { ...body, merchantId: '0000000019' },
      });
      expect(res.statusCode).toBe(201);
    });

    it('answers 400 with field errors for a string amount, and never requests the refund', async () => {
      const res = await inject({
        method: 'POST',
        url: '/refunds',
        key: SHOP_A_KEY,
        payload: { ...body, amount: '100' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
        message: 'Validation failed',
        errors: [{ field: 'amount', message: 'must be a JSON number of fen, not a string' }],
      });
      expect(sut.refunds.request).not.toHaveBeenCalled();
    });

    it('answers 422 with refundableAmount when the balance is short', async () => {
      sut.refunds.request.mockRejectedValue(new RefundExceedsBalanceError(100, 40));
      const res = await inject({ method: 'POST', url: '/refunds', key: SHOP_A_KEY, payload: body });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'REFUND_EXCEEDS_BALANCE', refundableAmount: 40 });
    });

    it("answers the core's field problems (the gateway's limits) as the same VALIDATION_FAILED 400", async () => {
      sut.refunds.request.mockRejectedValue(
        new RefundValidationError([{ field: 'refundNo', message: 'must be at most 32 characters' }]),
      );
      const res = await inject({ method: 'POST', url: '/refunds', key: SHOP_A_KEY, payload: body });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
        message: 'Validation failed',
        errors: [{ field: 'refundNo', message: 'must be at most 32 characters' }],
      });
    });

    describe('one 400 with every problem', () => {
      const gatewayLimit = { field: 'refundNo', message: 'must be 1 to 64 letters or digits for Leshua' };

      it("lists the body's problems first, then the core's on the well-formed fields, and never requests", async () => {
        sut.refunds.check.mockReturnValue([gatewayLimit]);
        const res = await inject({
          method: 'POST',
          url: '/refunds',
          key: SHOP_A_KEY,
          payload: { ...body, amount: 1.5, refundNo: 'R-bad!', order: { ...body.order, payMethod: 'W'.repeat(33) } },
        });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
          message: 'Validation failed',
          errors: [
            { field: 'amount', message: 'must be an integer number of fen (1 yuan = 100), not a fraction' },
            { field: 'order.payMethod', message: 'must be at most 32 characters' },
            gatewayLimit,
          ],
        });
        expect(sut.refunds.check).toHaveBeenCalledTimes(1);
        const [command, malformed] = sut.refunds.check.mock.calls[0];
        expect(malformed).toEqual(['amount', 'order.payMethod']);
        expect(command).toMatchObject({
          gateway: 'leshua',
          merchantId: '0000000018',
          refundNo: 'R-bad!',
          order: { merchantOrderNo: 'T20250101000001', totalAmount: 300, paidAt: new Date('2025-01-01T04:00:00.000Z') },
        });
        expect(sut.refunds.request).not.toHaveBeenCalled();
      });

      it('drops what the core says about a field the body already has a problem with', async () => {
        sut.refunds.check.mockReturnValue([{ field: 'amount', message: 'must be 1..9999999999' }, gatewayLimit]);
        const res = await inject({
          method: 'POST',
          url: '/refunds',
          key: SHOP_A_KEY,
          payload: { ...body, amount: 1.5, refundNo: 'R-bad!' },
        });
        expect(res.json().errors).toEqual([
          { field: 'amount', message: 'must be an integer number of fen (1 yuan = 100), not a fraction' },
          gatewayLimit,
        ]);
      });

      it('has the core check the rest of an order without an order number, and not the order numbers', async () => {
        await inject({
          method: 'POST',
          url: '/refunds',
          key: SHOP_A_KEY,
          payload: { ...body, order: { totalAmount: 300 } },
        });
        expect(sut.refunds.check).toHaveBeenCalledWith(expect.objectContaining({ gateway: 'leshua' }), [
          'order.merchantOrderNo',
          'order.gatewayOrderNo',
        ]);
      });

      it('asks the core nothing for a body that is not an object', async () => {
        const res = await inject({ method: 'POST', url: '/refunds', key: ADMIN_KEY, payload: [body] });
        expect(res.statusCode).toBe(400);
        expect(sut.refunds.check).not.toHaveBeenCalled();
      });

      it("gives a key outside the body's merchant the shape problems alone, as before", async () => {
        const res = await inject({
          method: 'POST',
          url: '/refunds',
          key: SHOP_A_KEY,
          payload: { ...body, merchantId: '0000000019', amount: 1.5 },
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual([
          { field: 'amount', message: 'must be an integer number of fen (1 yuan = 100), not a fraction' },
        ]);
        expect(sut.refunds.check).not.toHaveBeenCalled();
      });

      it('checks the rest for a key of every merchant even when the merchant cannot be read', async () => {
        sut.refunds.check.mockReturnValue([gatewayLimit]);
        const res = await inject({
          method: 'POST',
          url: '/refunds',
          key: ADMIN_KEY,
          payload: { ...body, merchantId: 18, refundNo: 'R-bad!' },
        });
        expect(res.json().errors).toEqual([{ field: 'merchantId', message: 'must be a string' }, gatewayLimit]);
        expect(sut.refunds.check).toHaveBeenCalledWith(expect.anything(), ['merchantId']);
      });

      it('never asks the core for a scoped key whose merchant cannot be read', async () => {
        const res = await inject({
          method: 'POST',
          url: '/refunds',
          key: SHOP_A_KEY,
          payload: { ...body, merchantId: 18 },
        });
        expect(res.statusCode).toBe(400);
        expect(sut.refunds.check).not.toHaveBeenCalled();
      });
    });

    it('answers 500 with a generic message when the core fails unexpectedly', async () => {
      sut.refunds.request.mockRejectedValue(new Error('database exploded'));
      const res = await inject({ method: 'POST', url: '/refunds', key: SHOP_A_KEY, payload: body });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        code: 'INTERNAL_ERROR',
        message: 'Internal server error',
      });
    });
  });

  describe('GET /refunds/:id', () => {
    it("returns a refund of the caller's merchant", async () => {
      sut.refunds.get.mockResolvedValue(refundView());
      const res = await inject({ method: 'GET', url: '/refunds/rf_01', key: SHOP_A_KEY });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: 'rf_01', amount: 100 });
      expect(sut.refunds.get).toHaveBeenCalledWith('rf_01');
    });

    it("answers another merchant's refund exactly like a missing one", async () => {
      sut.refunds.get.mockResolvedValueOnce(refundView({ id: 'rf_02', merchantId: '0000000019' }));
      const hidden = await inject({ method: 'GET', url: '/refunds/rf_02', key: SHOP_A_KEY });
      sut.refunds.get.mockRejectedValueOnce(new RefundNotFoundError('rf_02'));
      const missing = await inject({ method: 'GET', url: '/refunds/rf_02', key: SHOP_A_KEY });

      expect(hidden.statusCode).toBe(404);
      expect(hidden.json()).toEqual(missing.json());
      expect(hidden.json()).toMatchObject({ code: 'REFUND_NOT_FOUND' });
    });
  });

  describe('GET /refunds', () => {
    it("passes the filters and the caller's scope to the core", async () => {
      const page = { items: [refundView()], nextCursor: 'c2' };
      sut.refunds.list.mockResolvedValue(page);

      const res = await inject({
        method: 'GET',
        url: '/refunds?gateway=leshua&status=PROCESSING&merchantOrderNo=T1&createdFrom=2025-01-01T00:00:00Z&cursor=c1&limit=10',
        key: SHOP_A_KEY,
      });

      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(page);
      expect(sut.refunds.list).toHaveBeenCalledWith(
        {
          gateway: 'leshua',
          status: 'PROCESSING',
          merchantOrderNo: 'T1',
          createdFrom: new Date('2025-01-01T00:00:00Z'),
          cursor: 'c1',
          limit: 10,
        },
        ['leshua:0000000018'],
      );
    });

    it('filters on needsAttention, and answers 400 for anything but true or false', async () => {
      sut.refunds.list.mockResolvedValue({ items: [], nextCursor: null });
      const res = await inject({ method: 'GET', url: '/refunds?needsAttention=true', key: ADMIN_KEY });
      expect(res.statusCode).toBe(200);
      expect(sut.refunds.list).toHaveBeenCalledWith({ needsAttention: true }, '*');
      await inject({ method: 'GET', url: '/refunds?needsAttention=false', key: ADMIN_KEY });
      expect(sut.refunds.list).toHaveBeenLastCalledWith({ needsAttention: false }, '*');

      const bad = await inject({ method: 'GET', url: '/refunds?needsAttention=yes', key: ADMIN_KEY });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ errors: [{ field: 'needsAttention', message: 'must be true or false' }] });
    });

    it('answers 400 for a bad limit', async () => {
      const res = await inject({ method: 'GET', url: '/refunds?limit=500', key: SHOP_A_KEY });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ errors: [{ field: 'limit', message: 'must be an integer from 1 to 200' }] });
    });

    it('answers 400 for a cursor the core rejects', async () => {
      sut.refunds.list.mockRejectedValue(
        new RefundValidationError([{ field: 'cursor', message: 'is not a valid cursor' }]),
      );
      const res = await inject({ method: 'GET', url: '/refunds?cursor=garbage', key: ADMIN_KEY });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'REFUND_INVALID', errors: [{ field: 'cursor' }] });
    });
  });

  describe('GET /refunds/:id/history', () => {
    const page = {
      items: [
        {
          at: '2025-01-01T04:00:00.000Z',
          from: null,
          to: 'REQUESTED',
          source: 'api',
          applied: true,
          gatewayStatus: null,
          code: null,
          message: null,
          repeats: 0,
          lastHeardAt: null,
        },
      ],
      nextCursor: 'MTI',
    };

    it('returns a page of the transitions of a visible refund', async () => {
      sut.refunds.get.mockResolvedValue(refundView());
      sut.refunds.historyPage.mockResolvedValue(page);
      const res = await inject({ method: 'GET', url: '/refunds/rf_01/history', key: SHOP_A_KEY });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(page);
      expect(sut.refunds.historyPage).toHaveBeenCalledWith('rf_01', {});
    });

    it('hands the page size and the cursor to the core, the size as a number', async () => {
      sut.refunds.get.mockResolvedValue(refundView());
      sut.refunds.historyPage.mockResolvedValue(page);
      const res = await inject({ method: 'GET', url: '/refunds/rf_01/history?limit=2&cursor=MTI', key: SHOP_A_KEY });
      expect(res.statusCode).toBe(200);
      expect(sut.refunds.historyPage).toHaveBeenCalledWith('rf_01', { limit: 2, cursor: 'MTI' });
    });

    it.each(['limit=0', 'limit=201', 'limit=1e2', 'limit=', 'limit=1&limit=2', 'cursor=', 'page=2'])(
      'answers 400 VALIDATION_FAILED to ?%s without asking the core',
      async (query) => {
        sut.refunds.get.mockResolvedValue(refundView());
        const res = await inject({ method: 'GET', url: `/refunds/rf_01/history?${query}`, key: SHOP_A_KEY });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(sut.refunds.historyPage).not.toHaveBeenCalled();
      },
    );

    it("hides the history of another merchant's refund", async () => {
      sut.refunds.get.mockResolvedValue(refundView({ gateway: 'umf' }));
      const res = await inject({ method: 'GET', url: '/refunds/rf_01/history', key: SHOP_A_KEY });
      expect(res.statusCode).toBe(404);
      expect(sut.refunds.historyPage).not.toHaveBeenCalled();
    });
  });

  describe('POST /refunds/:id/sync', () => {
    it('answers 200 with the synced refund', async () => {
      sut.refunds.get.mockResolvedValue(refundView());
      sut.refunds.sync.mockResolvedValue(refundView({ status: 'SUCCEEDED' }));
      const res = await inject({ method: 'POST', url: '/refunds/rf_01/sync', key: SHOP_A_KEY });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'SUCCEEDED' });
      expect(sut.refunds.sync).toHaveBeenCalledWith('rf_01');
    });

    it("does not sync another merchant's refund", async () => {
      sut.refunds.get.mockResolvedValue(refundView({ merchantId: '0000000019' }));
      const res = await inject({ method: 'POST', url: '/refunds/rf_01/sync', key: SHOP_A_KEY });
      expect(res.statusCode).toBe(404);
      expect(sut.refunds.sync).not.toHaveBeenCalled();
    });
  });

  it('answers unknown routes in the same error shape', async () => {
    const res = await inject({ method: 'GET', url: '/nope', key: SHOP_A_KEY });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND' });
  });
});

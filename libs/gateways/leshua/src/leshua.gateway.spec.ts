import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Test } from '@nestjs/testing';
import type { GatewayRefundRequest, NotificationParseResult } from '@refundhub/core';
import { gatewayRefundQuery, gatewayRefundRequest, TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { LeshuaGateway } from './leshua.gateway';
import { LeshuaModule } from './leshua.module';
import { LeshuaSettings } from './leshua.options';
import { createLeshuaSandboxNotification } from './sandbox';
import { createLeshuaTestApp, MERCHANT, NOTIFY_KEY, TRADE_KEY, type LeshuaTestApp } from './testing/leshua-test-app';

// What is Leshua's own; what every gateway must do is in leshua.contract.spec.ts.

let orderSeq = 0;

/** A request for a fresh order of 1000 fen. */
function refundRequest(overrides: Partial<GatewayRefundRequest> = {}): GatewayRefundRequest {
  orderSeq += 1;
  return gatewayRefundRequest({
    refundId: `rf_${orderSeq}`,
    merchantId: MERCHANT,
    refundNo: `R${orderSeq}`,
    order: { merchantOrderNo: `T${orderSeq}`, totalAmount: 1000, payMethod: null, paidAt: null },
    ...overrides,
  });
}

describe(LeshuaGateway.name, () => {
  let app: LeshuaTestApp;
  let sut: LeshuaGateway;

  const boot = async (...args: Parameters<typeof createLeshuaTestApp>) => {
    app = await createLeshuaTestApp(...args);
    sut = app.gateway;
  };
  /** A paid order in the sandbox matching the request. */
  const seed = (request: GatewayRefundRequest) =>
    app.sandbox.seedOrder({
      merchantId: request.merchantId,
      thirdOrderId: request.order.merchantOrderNo ?? `X${request.refundNo}`,
      leshuaOrderId: request.order.gatewayOrderNo ?? undefined,
      totalAmount: request.order.totalAmount,
    });

  afterEach(() => app?.close());

  describe('submit and query over HTTP', () => {
    beforeEach(() => boot());

    it('submits a refund: processing, with the leshua_refund_id and the order as Leshua names it, by third_order_id', async () => {
      const request = refundRequest();
      const paid = seed(request);
      expect(await sut.submit(request)).toEqual({
        kind: 'processing',
        rawStatus: '10',
        gatewayRefundNo: expect.stringMatching(/^LSR/),
        order: {
          merchantOrderNo: request.order.merchantOrderNo,
          gatewayOrderNo: paid.leshuaOrderId,
          totalAmount: 1000,
        },
      });
      expect(app.sandbox.requests()[0].params).toMatchObject({
        service: 'unified_refund',
        third_order_id: request.order.merchantOrderNo,
        refund_amount: '100',
      });
    });

    it('refunds by leshua_order_id when the order has a gateway order number', async () => {
      const request = refundRequest();
      request.order = { ...request.order, merchantOrderNo: null, gatewayOrderNo: 'LSOPAID1' };
      seed(request);
      expect(await sut.submit(request)).toMatchObject({ kind: 'processing' });
      expect(app.sandbox.order(MERCHANT, 'LSOPAID1')?.balance).toBe(900);
    });

    it('queries with leshua_refund_id once known, and reads refund_time as the finish time', async () => {
      const request = refundRequest();
      seed(request);
      const submitted = await sut.submit(request);
      const gatewayRefundNo = submitted.kind === 'processing' ? (submitted.gatewayRefundNo ?? null) : null;
      const final = await sut.query(gatewayRefundQuery(request, { gatewayRefundNo }));
      expect(final).toMatchObject({
        kind: 'succeeded',
        rawStatus: '11',
        gatewayRefundNo,
        finishedAt: expect.any(Date),
      });
      expect(app.sandbox.requests()[1].params).toMatchObject({
        service: 'unified_query_refund',
        leshua_refund_id: gatewayRefundNo,
      });
    });

    it('keeps a planned failure reason as the message, under LESHUA_STATUS_12', async () => {
      const request = refundRequest();
      seed(request);
      app.sandbox.planRefund(request.refundNo, { outcome: 'fail', failureReason: '原交易已退款' });
      await sut.submit(request);
      expect(await sut.query(gatewayRefundQuery(request))).toEqual({
        kind: 'failed',
        rawStatus: '12',
        gatewayRefundNo: expect.any(String),
        code: 'LESHUA_STATUS_12',
        message: '原交易已退款',
        order: {
          merchantOrderNo: request.order.merchantOrderNo,
          gatewayOrderNo: expect.any(String),
          totalAmount: 1000,
        },
      });
    });

    it('reads the configured "busy" code as gateway_busy, and an unlisted code as unknown, never failed', async () => {
      const request = refundRequest();
      seed(request);
      app.sandbox.rejectNext('SYSTEM_BUSY', '系统繁忙');
      expect(await sut.submit(request)).toMatchObject({ kind: 'unknown', reason: 'gateway_busy', code: 'SYSTEM_BUSY' });
      app.sandbox.rejectNext('-1041', '超出单笔支付限额', { service: 'unified_refund' });
      expect(await sut.submit(request)).toMatchObject({
        kind: 'unknown',
        reason: 'unrecognized',
        code: '-1041',
        message: '超出单笔支付限额',
      });
    });

    it('a timeout the gateway never processed leaves nothing: the query says not_found', async () => {
      const request = refundRequest();
      seed(request);
      app.sandbox.failNext('timeout', { service: 'unified_refund' });
      expect(await sut.submit(request)).toMatchObject({ kind: 'unknown', reason: 'timeout' });
      app.sandbox.releaseHeld();
      expect(await sut.query(gatewayRefundQuery(request))).toEqual({
        kind: 'not_found',
        code: 'REFUND_NOT_EXIST',
        message: '退款记录不存在',
      });
    });

    it('a connection refused is unknown (connection)', async () => {
      await app.sandbox.stop();
      expect(await sut.submit(refundRequest())).toMatchObject({ kind: 'unknown', reason: 'connection' });
    });

    it('throws for a merchant without credentials (the core checks merchants before submitting)', async () => {
      await expect(sut.submit(refundRequest({ merchantId: '0000000099' }))).rejects.toThrow('No Leshua credentials');
    });
  });

  describe('without the sandbox codes: production defaults', () => {
    beforeEach(() => boot({ failedErrorCodes: [], busyErrorCodes: [], notFoundErrorCodes: [] }));

    it('treats every refusal as unknown and no query answer as not found until the operator names the codes', async () => {
      const request = refundRequest({ amount: 2000 });
      seed(request);
      expect(await sut.submit(request)).toMatchObject({
        kind: 'unknown',
        reason: 'unrecognized',
        code: 'REFUND_AMOUNT_EXCEED',
      });
      expect(await sut.query(gatewayRefundQuery(refundRequest()))).toMatchObject({
        kind: 'unknown',
        code: 'REFUND_NOT_EXIST',
      });
    });
  });

  describe('response verification switch', () => {
    it('auto accepts answers signed without empty values', async () => {
      await boot({}, { responseSignVariant: 'skip-empty' });
      const request = refundRequest();
      seed(request);
      expect(await sut.submit(request)).toMatchObject({ kind: 'processing' });
    });

    it('doc refuses them', async () => {
      await boot({ responseVerification: 'doc' }, { responseSignVariant: 'skip-empty' });
      const request = refundRequest();
      seed(request);
      expect(await sut.submit(request)).toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
    });
  });

  describe('validate', () => {
    beforeEach(() => boot());
    const fields = (request: GatewayRefundRequest) => sut.validate(request).problems.map((p) => p.field);

    it('accepts a request within Leshua limits', () => {
      expect(sut.validate(refundRequest({ gatewayNotifyUrl: 'https://hub.example.com/notify/leshua' }))).toEqual({
        problems: [],
        refusals: [],
      });
    });

    it('reports each problem against the domain field', () => {
      const request = refundRequest({ refundNo: 'R_1', amount: 10_000_000_000, merchantId: '00000000181' });
      request.order = { ...request.order, merchantOrderNo: 'T'.repeat(65), gatewayOrderNo: 'L'.repeat(33) };
      expect(fields(request)).toEqual([
        'refundNo',
        'amount',
        'order.merchantOrderNo',
        'order.gatewayOrderNo',
        'merchantId',
      ]);
    });

    it.each([0, 1.5, -3])('refuses amount %p', (amount) => {
      expect(fields(refundRequest({ amount }))).toEqual(['amount']);
    });

    it('requires one order reference and limits refundNo to 64 letters or digits', () => {
      const request = refundRequest({ refundNo: 'A'.repeat(65) });
      request.order = { ...request.order, merchantOrderNo: null, gatewayOrderNo: null };
      expect(sut.validate(request).problems).toEqual([
        { field: 'refundNo', message: expect.any(String) },
        { field: 'order.merchantOrderNo', message: expect.stringContaining('order.gatewayOrderNo') },
      ]);
      expect(fields(refundRequest({ refundNo: 'A'.repeat(64) }))).toEqual([]);
    });

    it('limits notify_url to 128 characters once URL-encoded', () => {
      const base = 'https://hub.example.com/';
      // The 24-char prefix encodes to 32 (':' and three '/' grow by 2 each): 96 more chars fit, 97 do not.
      expect(encodeURIComponent(base)).toHaveLength(32);
      expect(fields(refundRequest({ gatewayNotifyUrl: base + 'a'.repeat(96) }))).toEqual([]);
      expect(fields(refundRequest({ gatewayNotifyUrl: base + 'a'.repeat(97) }))).toEqual(['gatewayNotifyUrl']);
      expect(fields(refundRequest({ gatewayNotifyUrl: '/relative' }))).toEqual(['gatewayNotifyUrl']);
    });
  });

  describe('notifications', () => {
    let receiver: Server;
    let receiverUrl: string;
    let received: NotificationParseResult[];
    const parse = (rawBody: Buffer) => sut.notifications.parse({ rawBody, contentType: null, headers: {} });

    beforeEach(async () => {
      await boot();
      received = [];
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          void (async () => {
            const result = await parse(Buffer.concat(chunks));
            received.push(result);
            const answer = sut.notifications.answer({
              disposition: result.kind === 'verified' ? 'applied' : 'rejected',
            });
            res.writeHead(answer.status, { 'Content-Type': answer.contentType }).end(answer.body);
          })();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify/leshua`;
    });

    afterEach(async () => {
      await new Promise((resolve) => receiver.close(resolve));
    });

    it('verifies the notification the sandbox sends to notify_url when a refund succeeds, and acknowledges it', async () => {
      const request = refundRequest({ gatewayNotifyUrl: `${receiverUrl}?merchant=${MERCHANT}` });
      seed(request);
      const submitted = await sut.submit(request);
      await sut.query(gatewayRefundQuery(request));
      await app.sandbox.settled();
      expect(received).toEqual([
        {
          kind: 'verified',
          merchantId: MERCHANT,
          refundNo: request.refundNo,
          gatewayRefundNo: submitted.kind === 'processing' ? submitted.gatewayRefundNo : 'missing',
          amount: 100,
          outcome: expect.objectContaining({ kind: 'succeeded', rawStatus: '11', finishedAt: expect.any(Date) }),
        },
      ]);
      expect(app.sandbox.notifications()).toEqual([
        expect.objectContaining({
          url: `${receiverUrl}?merchant=${MERCHANT}`,
          acknowledged: true,
          response: { status: 200, body: '000000' },
        }),
      ]);
    });

    it('rejects a notification signed with the trade key, unreadable ones, ones without ids, and unknown merchants', async () => {
      const withTradeKey = createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'R1',
        amount: 1,
        outcome: 'success',
        key: TRADE_KEY,
      });
      expect(await parse(withTradeKey.rawBody)).toMatchObject({ kind: 'rejected', reason: 'wrong signature' });
      expect(await parse(Buffer.from('merchant_id=1&sign=x'))).toMatchObject({
        kind: 'rejected',
        reason: expect.stringContaining('unreadable'),
      });
      expect(await parse(Buffer.from('<leshua><status>11</status></leshua>'))).toMatchObject({
        kind: 'rejected',
        reason: expect.stringContaining('merchant_refund_id'),
      });
      const stranger = createLeshuaSandboxNotification({
        merchantId: '0000000099',
        merchantRefundId: 'R1',
        amount: 1,
        outcome: 'success',
        key: NOTIFY_KEY,
      });
      expect(await parse(stranger.rawBody)).toMatchObject({
        kind: 'rejected',
        reason: 'unknown merchant 0000000099',
        merchantId: '0000000099',
      });
    });

    it('reads processing notifications, and treats success with an error code as unknown', async () => {
      const processing = createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'R1',
        amount: 5,
        outcome: 'processing',
        key: NOTIFY_KEY,
      });
      expect(await parse(processing.rawBody)).toMatchObject({
        kind: 'verified',
        amount: 5,
        outcome: { kind: 'processing' },
      });
      // error_code is outside the signature, so this one still verifies.
      const contradictory = createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'R1',
        amount: 5,
        outcome: 'success',
        key: NOTIFY_KEY,
        tamper: { error_code: 'E1' },
      });
      expect(await parse(contradictory.rawBody)).toMatchObject({
        kind: 'verified',
        outcome: { kind: 'unknown', reason: 'mismatch' },
      });
    });

    it('passes a long failure_reason through whole (the core cuts it to its column, on a character boundary)', async () => {
      const failureReason = '退'.repeat(255) + '😀'.repeat(300);
      const failed = createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'R1',
        amount: 5,
        outcome: 'fail',
        failureReason,
        key: NOTIFY_KEY,
      });
      const parsed = await parse(failed.rawBody);
      expect(parsed).toMatchObject({ kind: 'verified', outcome: { kind: 'failed', rawStatus: '12' } });
      expect(parsed.kind === 'verified' && parsed.outcome.kind === 'failed' && parsed.outcome.message).toBe(
        failureReason,
      );
    });

    it('answers each disposition', () => {
      expect(sut.notifications.answer({ disposition: 'applied' })).toMatchObject({ status: 200, body: '000000' });
      expect(sut.notifications.answer({ disposition: 'rejected' })).toMatchObject({ status: 400, body: 'FAIL' });
      expect(sut.notifications.answer({ disposition: 'unknown_refund' })).toMatchObject({ status: 404, body: 'FAIL' });
      expect(sut.notifications.answer({ disposition: 'error' })).toMatchObject({ status: 500, body: 'FAIL' });
    });
  });

  describe('notifyKey: trade', () => {
    it('verifies notifications with the trade key instead', async () => {
      await boot({ notifyKey: 'trade' });
      const make = (key: string) =>
        createLeshuaSandboxNotification({
          merchantId: MERCHANT,
          merchantRefundId: 'R1',
          amount: 1,
          outcome: 'success',
          key,
        }).rawBody;
      const parse = (rawBody: Buffer) => sut.notifications.parse({ rawBody, contentType: null, headers: {} });
      expect(await parse(make(TRADE_KEY))).toMatchObject({ kind: 'verified' });
      expect(await parse(make(NOTIFY_KEY))).toMatchObject({ kind: 'rejected' });
    });
  });
});

describe(LeshuaModule.name, () => {
  const credentials = () =>
    TestCredentialsModule.forRoot({ leshua: { [MERCHANT]: { tradeKey: TRADE_KEY, notifyKey: NOTIFY_KEY } } });

  it('forRootAsync builds the gateway from a factory, with no error code assumed', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        credentials(),
        LeshuaModule.forRootAsync({ useFactory: () => ({ baseUrl: 'https://t-paygate.lepass.cn/' }) }),
      ],
    }).compile();
    expect(moduleRef.get(LeshuaGateway).id).toBe('leshua');
    expect(moduleRef.get(LeshuaSettings)).toMatchObject({
      cgiUrl: 'https://t-paygate.lepass.cn/cgi-bin/lepos_pay_gateway.cgi',
      timeoutMs: 10_000,
      responseVerification: 'auto',
      notifyKey: 'notify',
      notifyUrlEncoding: 'encoded',
      errorCodes: { failed: new Set(), busy: new Set(), notFound: new Set() },
    });
    await moduleRef.close();
  });

  it.each([
    [{ baseUrl: 'paygate.leshuazf.com' }, 'baseUrl'],
    [{ baseUrl: 'ftp://paygate.leshuazf.com' }, 'baseUrl'],
    [{ baseUrl: 'https://x', timeoutMs: 0 }, 'timeoutMs'],
    [{ baseUrl: 'https://x', responseVerification: 'lenient' as 'doc' }, 'responseVerification'],
  ])('refuses bad options at boot: %p', async (options, message) => {
    await expect(
      Test.createTestingModule({ imports: [credentials(), LeshuaModule.forRoot(options)] }).compile(),
    ).rejects.toThrow(message);
  });
});

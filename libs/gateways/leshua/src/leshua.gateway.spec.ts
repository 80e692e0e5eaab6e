import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Module, type DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';

import {
  CredentialsProvider,
  StaticCredentialsProvider,
  type GatewayRefundQuery,
  type GatewayRefundRequest,
  type NotificationParseResult,
} from '@refundhub/core';

import { LeshuaGateway } from './leshua.gateway';
import { LeshuaModule } from './leshua.module';
import { LeshuaSettings, type LeshuaOptions } from './leshua.options';
import { createLeshuaSandboxNotification, LeshuaSandbox, type LeshuaSandboxOptions } from './sandbox';

const MERCHANT = '0000000018';
const TRADE_KEY = 'TESTTRADEKEY0123456789ABCDEF0123';
const NOTIFY_KEY = 'TESTNOTIFYKEY0123456789ABCDEF012';

@Module({})
class TestCredentialsModule {
  /** Stands in for the core RefundModule, which provides CredentialsProvider globally. */
  static register(): DynamicModule {
    const provider = {
      provide: CredentialsProvider,
      useValue: new StaticCredentialsProvider({
        leshua: { [MERCHANT]: { tradeKey: TRADE_KEY, notifyKey: NOTIFY_KEY } },
      }),
    };
    return {
      module: TestCredentialsModule,
      global: true,
      providers: [provider],
      exports: [CredentialsProvider],
    };
  }
}

let orderSeq = 0;

function refundRequest(overrides: Partial<GatewayRefundRequest> = {}): GatewayRefundRequest {
  orderSeq += 1;
  return {
    refundId: `rf_${orderSeq}`,
    merchantId: MERCHANT,
    refundNo: `R${orderSeq}`,
    amount: 100,
    order: {
      merchantOrderNo: `T${orderSeq}`,
      gatewayOrderNo: null,
      totalAmount: 1000,
      payMethod: null,
      paidAt: null,
    },
    reason: null,
    gatewayNotifyUrl: null,
    gatewayOptions: {},
    attempt: 1,
    ...overrides,
  };
}

function queryOf(request: GatewayRefundRequest, gatewayRefundNo: string | null = null): GatewayRefundQuery {
  return {
    refundId: request.refundId,
    merchantId: request.merchantId,
    refundNo: request.refundNo,
    gatewayRefundNo,
    order: { merchantOrderNo: request.order.merchantOrderNo, gatewayOrderNo: request.order.gatewayOrderNo },
    gatewayOptions: {},
  };
}

describe(LeshuaGateway.name, () => {
  let sandbox: LeshuaSandbox;
  let moduleRef: TestingModule;
  let sut: LeshuaGateway;

  async function boot(
    options: Partial<LeshuaOptions> = {},
    sandboxOptions: Partial<LeshuaSandboxOptions> = {},
  ): Promise<void> {
    sandbox = new LeshuaSandbox({
      merchants: { [MERCHANT]: { tradeKey: TRADE_KEY, notifyKey: NOTIFY_KEY } },
      ...sandboxOptions,
    });
    const baseUrl = await sandbox.start();
    moduleRef = await Test.createTestingModule({
      imports: [
        TestCredentialsModule.register(),
        LeshuaModule.forRoot({ baseUrl, timeoutMs: 300, ...options }),
      ],
    }).compile();
    sut = moduleRef.get(LeshuaGateway);
  }

  /** A paid order in the sandbox matching the request. */
  function seed(request: GatewayRefundRequest): void {
    sandbox.seedOrder({
      merchantId: request.merchantId,
      thirdOrderId: request.order.merchantOrderNo ?? `X${request.refundNo}`,
      leshuaOrderId: request.order.gatewayOrderNo ?? undefined,
      totalAmount: request.order.totalAmount,
    });
  }

  afterEach(async () => {
    await moduleRef?.close();
    await sandbox?.stop();
  });

  describe('submit and query over HTTP', () => {
    beforeEach(() => boot());

    it('submits a refund: processing, with the leshua_refund_id', async () => {
      const request = refundRequest();
      seed(request);
      const outcome = await sut.submit(request);
      expect(outcome).toEqual({
        kind: 'processing',
        rawStatus: '10',
        gatewayRefundNo: expect.stringMatching(/^LSR/),
      });
      expect(sandbox.refund(MERCHANT, request.refundNo)).toMatchObject({ amount: 100, status: '10' });
      expect(sandbox.requests()[0].params).toMatchObject({
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
      expect(sandbox.order(MERCHANT, 'LSOPAID1')?.balance).toBe(900);
    });

    it('query: succeeded after the planned number of queries, with finishedAt', async () => {
      const request = refundRequest();
      seed(request);
      sandbox.planRefund(request.refundNo, { outcome: 'success', afterQueries: 2 });
      const submitted = await sut.submit(request);
      const gatewayRefundNo = submitted.kind === 'processing' ? submitted.gatewayRefundNo : undefined;
      expect(await sut.query(queryOf(request, gatewayRefundNo))).toMatchObject({
        kind: 'processing',
        gatewayRefundNo,
      });
      const final = await sut.query(queryOf(request, gatewayRefundNo));
      expect(final).toMatchObject({
        kind: 'succeeded',
        rawStatus: '11',
        gatewayRefundNo,
        finishedAt: expect.any(Date),
      });
      expect(sandbox.requests().filter((r) => r.service === 'unified_query_refund')).toHaveLength(2);
    });

    it('query: a planned failure comes back failed with its reason', async () => {
      const request = refundRequest();
      seed(request);
      sandbox.planRefund(request.refundNo, { outcome: 'fail', failureReason: '原交易已退款' });
      await sut.submit(request);
      expect(await sut.query(queryOf(request))).toEqual({
        kind: 'failed',
        rawStatus: '12',
        gatewayRefundNo: expect.any(String),
        code: 'LESHUA_STATUS_12',
        message: '原交易已退款',
      });
      expect(sandbox.order(MERCHANT, request.order.merchantOrderNo!)?.balance).toBe(1000);
    });

    it('a rejected refund is failed with the gateway code and message', async () => {
      const request = refundRequest();
      seed(request);
      sandbox.rejectNext('-1041', '超出单笔支付限额', { service: 'unified_refund' });
      expect(await sut.submit(request)).toEqual({
        kind: 'failed',
        code: '-1041',
        message: '超出单笔支付限额',
      });
      expect(sandbox.refund(MERCHANT, request.refundNo)).toBeUndefined();
    });

    it('a "system busy" rejection is unknown, not failed', async () => {
      const request = refundRequest();
      seed(request);
      sandbox.rejectNext('SYSTEM_BUSY', '系统繁忙');
      expect(await sut.submit(request)).toMatchObject({ kind: 'unknown', code: 'SYSTEM_BUSY' });
    });

    it('a refund over the balance and a refund of an unknown order are failed', async () => {
      const request = refundRequest({ amount: 2000 });
      seed(request);
      expect(await sut.submit(request)).toMatchObject({ kind: 'failed', code: 'REFUND_AMOUNT_EXCEED' });
      expect(await sut.submit(refundRequest())).toMatchObject({ kind: 'failed', code: 'ORDER_NOT_EXIST' });
    });

    it('a timeout is unknown and leaves nothing when the gateway did not process it: the query says not_found', async () => {
      const request = refundRequest();
      seed(request);
      sandbox.failNext('timeout', { service: 'unified_refund' });
      expect(await sut.submit(request)).toEqual({ kind: 'unknown', reason: 'Leshua unreachable: timeout', code: 'TIMEOUT' });
      expect(await sut.query(queryOf(request))).toEqual({
        kind: 'not_found',
        code: 'REFUND_NOT_EXIST',
        message: '退款记录不存在',
      });
    });

    it('a timeout after processing is unknown, and a later query finds the refund', async () => {
      const request = refundRequest();
      seed(request);
      sandbox.failNext('timeout', { service: 'unified_refund', process: true });
      expect(await sut.submit(request)).toMatchObject({
        kind: 'unknown',
        reason: expect.stringContaining('timeout'),
      });
      expect(await sut.query(queryOf(request))).toMatchObject({
        kind: 'succeeded',
        gatewayRefundNo: expect.any(String),
      });
    });

    it.each([
      ['5xx', 'HTTP 502'],
      ['malformed', 'unparsable answer'],
      ['badsign', 'wrong signature'],
    ] as const)('a %s answer is unknown', async (mode, reason) => {
      const request = refundRequest();
      seed(request);
      sandbox.failNext(mode, { service: 'unified_refund' });
      expect(await sut.submit(request)).toMatchObject({
        kind: 'unknown',
        reason: expect.stringContaining(reason),
      });
    });

    it('a badsign query answer is unknown even when it says succeeded', async () => {
      const request = refundRequest();
      seed(request);
      await sut.submit(request);
      sandbox.failNext('badsign', { service: 'unified_query_refund' });
      expect(await sut.query(queryOf(request))).toMatchObject({
        kind: 'unknown',
        reason: expect.stringContaining('wrong signature'),
      });
      expect(sandbox.refund(MERCHANT, request.refundNo)?.status).toBe('11');
    });

    it('a connection refused is unknown', async () => {
      const request = refundRequest();
      await sandbox.stop();
      expect(await sut.submit(request)).toMatchObject({
        kind: 'unknown',
        reason: expect.stringContaining('connection error'),
      });
    });

    it('query of a refund Leshua never saw is not_found', async () => {
      expect(await sut.query(queryOf(refundRequest()))).toMatchObject({
        kind: 'not_found',
        code: 'REFUND_NOT_EXIST',
      });
    });

    it('resubmitting the same refundNo returns the same refund and does not refund twice', async () => {
      const request = refundRequest();
      seed(request);
      const first = await sut.submit(request);
      const second = await sut.submit({ ...request, attempt: 2 });
      expect(second).toEqual(first);
      expect(sandbox.refundSubmissions(request.refundNo)).toBe(2);
      expect(sandbox.order(MERCHANT, request.order.merchantOrderNo!)?.balance).toBe(900);
    });

    it('throws for a merchant without credentials (the core checks merchants before submitting)', async () => {
      await expect(sut.submit(refundRequest({ merchantId: '0000000099' }))).rejects.toThrow(
        'No Leshua credentials',
      );
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
      expect(await sut.submit(request)).toMatchObject({
        kind: 'unknown',
        reason: expect.stringContaining('wrong signature'),
      });
    });
  });

  describe('validate', () => {
    beforeEach(() => boot());

    it('accepts a request within Leshua limits', () => {
      expect(
        sut.validate(refundRequest({ gatewayNotifyUrl: 'https://hub.example.com/notify/leshua' })),
      ).toEqual([]);
    });

    it('reports each problem against the domain field', () => {
      const request = refundRequest({
        refundNo: 'R_1',
        amount: 10_000_000_000,
        merchantId: '00000000181',
      });
      request.order = { ...request.order, merchantOrderNo: 'T'.repeat(65), gatewayOrderNo: 'L'.repeat(33) };
      expect(sut.validate(request).map((p) => p.field)).toEqual([
        'refundNo',
        'amount',
        'order.merchantOrderNo',
        'order.gatewayOrderNo',
        'merchantId',
      ]);
    });

    it.each([0, 1.5, -3])('refuses amount %p', (amount) => {
      expect(sut.validate(refundRequest({ amount })).map((p) => p.field)).toEqual(['amount']);
    });

    it('requires one order reference and limits refundNo to 64 letters or digits', () => {
      const request = refundRequest({ refundNo: 'A'.repeat(65) });
      request.order = { ...request.order, merchantOrderNo: null, gatewayOrderNo: null };
      expect(sut.validate(request)).toEqual([
        { field: 'refundNo', message: expect.any(String) },
        { field: 'order.merchantOrderNo', message: expect.stringContaining('order.gatewayOrderNo') },
      ]);
      expect(sut.validate(refundRequest({ refundNo: 'A'.repeat(64) }))).toEqual([]);
    });

    it('limits notify_url to 128 characters once URL-encoded', () => {
      const base = 'https://hub.example.com/';
      // The 24-char prefix encodes to 32 (':' and three '/' grow by 2 each): 96 more chars fit, 97 do not.
      expect(encodeURIComponent(base)).toHaveLength(32);
      expect(sut.validate(refundRequest({ gatewayNotifyUrl: base + 'a'.repeat(96) }))).toEqual([]);
      expect(
        sut.validate(refundRequest({ gatewayNotifyUrl: base + 'a'.repeat(97) })).map((p) => p.field),
      ).toEqual(['gatewayNotifyUrl']);
      expect(sut.validate(refundRequest({ gatewayNotifyUrl: '/relative' })).map((p) => p.field)).toEqual([
        'gatewayNotifyUrl',
      ]);
    });
  });

  describe('notifications', () => {
    let receiver: Server;
    let receiverUrl: string;
    let received: NotificationParseResult[];

    beforeEach(async () => {
      await boot();
      received = [];
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', async () => {
          const result = await sut.parseNotification({
            rawBody: Buffer.concat(chunks),
            contentType: req.headers['content-type'] ?? null,
            headers: req.headers,
          });
          received.push(result);
          const answer = sut.answerNotification(result.kind === 'verified' ? 'applied' : 'rejected');
          res.writeHead(answer.status, { 'Content-Type': answer.contentType }).end(answer.body);
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify/leshua`;
    });

    afterEach(async () => {
      await new Promise((resolve) => receiver.close(resolve));
    });

    it('verifies the notification the sandbox sends when a refund succeeds, and acknowledges it', async () => {
      const request = refundRequest({ gatewayNotifyUrl: `${receiverUrl}?merchant=${MERCHANT}` });
      seed(request);
      const submitted = await sut.submit(request);
      await sut.query(queryOf(request));
      await sandbox.settled();
      expect(received).toEqual([
        {
          kind: 'verified',
          merchantId: MERCHANT,
          refundNo: request.refundNo,
          gatewayRefundNo: submitted.kind === 'processing' ? submitted.gatewayRefundNo : 'missing',
          amount: 100,
          outcome: expect.objectContaining({
            kind: 'succeeded',
            rawStatus: '11',
            finishedAt: expect.any(Date),
          }),
        },
      ]);
      expect(sandbox.notifications()).toEqual([
        expect.objectContaining({
          url: `${receiverUrl}?merchant=${MERCHANT}`,
          acknowledged: true,
          response: { status: 200, body: '000000' },
        }),
      ]);
    });

    it('verifies a failure notification from complete()', async () => {
      const request = refundRequest({ gatewayNotifyUrl: receiverUrl });
      seed(request);
      await sut.submit(request);
      sandbox.complete(MERCHANT, request.refundNo, 'fail', '银行卡已注销');
      await sandbox.settled();
      expect(received).toEqual([
        expect.objectContaining({
          kind: 'verified',
          outcome: expect.objectContaining({
            kind: 'failed',
            code: 'LESHUA_STATUS_12',
            message: '银行卡已注销',
          }),
        }),
      ]);
    });

    it('rejects a forged notification and answers it with a non-000000 body', async () => {
      const forged = createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'R404',
        amount: 100,
        outcome: 'success',
        key: 'NOT-THE-NOTIFY-KEY',
      });
      const result = await sut.parseNotification({
        rawBody: forged.rawBody,
        contentType: 'application/x-www-form-urlencoded',
        headers: {},
      });
      expect(result).toEqual({
        kind: 'rejected',
        reason: 'wrong signature',
        merchantId: MERCHANT,
        refundNo: 'R404',
      });
      expect(sut.answerNotification('rejected')).toEqual({
        status: 400,
        contentType: expect.stringContaining('text/plain'),
        body: 'FAIL',
      });
    });

    it('rejects a notification tampered with after signing, and one signed with the trade key', async () => {
      const tampered = createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'R1',
        amount: 1,
        outcome: 'success',
        key: NOTIFY_KEY,
        tamper: { refund_amount: '100000' },
      });
      const withTradeKey = createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'R1',
        amount: 1,
        outcome: 'success',
        key: TRADE_KEY,
      });
      for (const n of [tampered, withTradeKey]) {
        expect(
          await sut.parseNotification({ rawBody: n.rawBody, contentType: null, headers: {} }),
        ).toMatchObject({ kind: 'rejected' });
      }
    });

    it('rejects unreadable notifications, ones without ids, and unknown merchants', async () => {
      const parse = (body: string) =>
        sut.parseNotification({ rawBody: Buffer.from(body), contentType: 'text/xml', headers: {} });
      expect(await parse('merchant_id=1&sign=x')).toMatchObject({
        kind: 'rejected',
        reason: expect.stringContaining('unreadable'),
      });
      expect(await parse('<leshua><status>11</status></leshua>')).toMatchObject({
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
      expect(await parse(stranger.xml)).toMatchObject({
        kind: 'rejected',
        reason: 'unknown merchant 0000000099',
        merchantId: '0000000099',
      });
    });

    it('reads processing notifications, and treats success with an error code as unknown', async () => {
      const parse = (n: { rawBody: Buffer }) =>
        sut.parseNotification({ rawBody: n.rawBody, contentType: null, headers: {} });
      const processing = createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'R1',
        amount: 5,
        outcome: 'processing',
        key: NOTIFY_KEY,
      });
      expect(await parse(processing)).toMatchObject({
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
      expect(await parse(contradictory)).toMatchObject({ kind: 'verified', outcome: { kind: 'unknown' } });
    });

    it('answers each disposition', () => {
      expect(sut.answerNotification('applied')).toMatchObject({ status: 200, body: '000000' });
      expect(sut.answerNotification('unknown_refund')).toMatchObject({ status: 404, body: 'FAIL' });
      expect(sut.answerNotification('error')).toMatchObject({ status: 500, body: 'FAIL' });
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
      expect(
        await sut.parseNotification({ rawBody: make(TRADE_KEY), contentType: null, headers: {} }),
      ).toMatchObject({ kind: 'verified' });
      expect(
        await sut.parseNotification({ rawBody: make(NOTIFY_KEY), contentType: null, headers: {} }),
      ).toMatchObject({ kind: 'rejected' });
    });
  });
});

describe(LeshuaModule.name, () => {
  it('forRootAsync builds the gateway from a factory', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TestCredentialsModule.register(),
        LeshuaModule.forRootAsync({ useFactory: () => ({ baseUrl: 'https://t-paygate.lepass.cn/' }) }),
      ],
    }).compile();
    const gateway = moduleRef.get(LeshuaGateway);
    expect(gateway.id).toBe('leshua');
    expect(moduleRef.get(LeshuaSettings)).toMatchObject({
      cgiUrl: 'https://t-paygate.lepass.cn/cgi-bin/lepos_pay_gateway.cgi',
      timeoutMs: 10_000,
      responseVerification: 'auto',
      notifyKey: 'notify',
      notifyUrlEncoding: 'encoded',
      notFoundErrorCodes: new Set(['REFUND_NOT_EXIST']),
      unknownErrorCodes: new Set(['SYSTEM_BUSY']),
    });
    await moduleRef.close();
  });

  it.each([
    [{ baseUrl: 'paygate.leshuazf.com' }, 'absolute URL'],
    [{ baseUrl: 'ftp://paygate.leshuazf.com' }, 'http(s)'],
    [{ baseUrl: 'https://x', timeoutMs: 0 }, 'timeoutMs'],
    [{ baseUrl: 'https://x', responseVerification: 'lenient' as 'doc' }, 'responseVerification'],
  ])('refuses bad options at boot: %p', async (options, message) => {
    await expect(
      Test.createTestingModule({
        imports: [TestCredentialsModule.register(), LeshuaModule.forRoot(options)],
      }).compile(),
    ).rejects.toThrow(message);
  });
});

import { generateKeyPairSync } from 'node:crypto';

import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { InboundNotification, NotificationParseResult } from '@refundhub/core';
import { GatewayTransport, type TransportRequest, type TransportResult } from '@refundhub/gateway-kit';
import { gatewayRefundQuery, gatewayRefundRequest, TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { decodeUmfRequest } from './umf.codec';
import { umfConfigSchema } from './umf.config';
import { UmfGateway } from './umf.gateway';
import { UmfModule } from './umf.module';
import { UmfSettings, type UmfOptions } from './umf.options';
import type { UmfAnswerVariant, UmfNotificationVariant } from './umf.sign-variants';
import {
  signUmfAnswer,
  signUmfNotification,
  verifyUmfNotificationAck,
  verifyUmfRequest,
  type UmfSignatureHash,
} from './umf.signer';
import type { UmfFields } from './umf.types';

// What is UMF's own, over a fake transport; what every gateway must do is in umf.contract.spec.ts.

const keyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const merchantKeys = keyPair();
const platformKeys = keyPair();
const otherPlatformKeys = keyPair();

const MERCHANT = '30000101';
const BASE_URL = 'https://mofunapi.umfintech.com';

/** Answers each POST with what the test scripts, and keeps what was posted. */
class FakeTransport extends GatewayTransport {
  readonly requests: Array<TransportRequest & { fields: UmfFields }> = [];
  reply: (fields: UmfFields, request: TransportRequest) => TransportResult = () => ({
    kind: 'failure',
    reason: 'connection',
    detail: 'no script',
  });

  post(request: TransportRequest): Promise<TransportResult> {
    const fields = decodeUmfRequest(String(request.body));
    this.requests.push({ ...request, fields });
    return Promise.resolve(this.reply(fields, request));
  }
}

const json = (body: object): TransportResult => ({
  kind: 'answer',
  status: 200,
  body: JSON.stringify(body),
  headers: {},
});

/** A platform answer, signed as `variant` with the platform key (or another). */
function signed(
  fields: Record<string, string>,
  options: { message?: 'refund' | 'query'; variant?: UmfAnswerVariant; key?: string; hash?: UmfSignatureHash } = {},
): TransportResult {
  const sign = signUmfAnswer({
    fields,
    privateKeyPem: options.key ?? platformKeys.privateKey,
    message: options.message ?? 'refund',
    variant: options.variant,
    hash: options.hash,
  });
  return json({ ...fields, sign });
}

const request = (overrides: Parameters<typeof gatewayRefundRequest>[0] = {}) =>
  gatewayRefundRequest({
    merchantId: MERCHANT,
    refundNo: 'R1',
    amount: 100,
    order: { merchantOrderNo: 'T1', payMethod: 'ALIPAY', paidAt: new Date('2026-01-04T04:00:00Z') },
    ...overrides,
  });

describe(UmfGateway.name, () => {
  let moduleRef: TestingModule;
  let gateway: UmfGateway;
  let transport: FakeTransport;

  async function boot(
    options: Partial<UmfOptions> = {},
    merchant: { platformCertificate?: string } = {},
  ): Promise<void> {
    transport = new FakeTransport();
    moduleRef = await Test.createTestingModule({
      imports: [
        TestCredentialsModule.forRoot({
          umf: { [MERCHANT]: { proxyId: '0025', privateKey: merchantKeys.privateKey, ...merchant } },
        }),
        UmfModule.forRoot({ baseUrl: BASE_URL, platformCertificate: platformKeys.publicKey, transport, ...options }),
      ],
    }).compile();
    gateway = moduleRef.get(UmfGateway);
  }

  afterEach(() => moduleRef?.close());

  describe('refunds', () => {
    it('posts context= to /in-pay-client/online/refund, signed with the merchant key (SHA1withRSA)', async () => {
      await boot();
      transport.reply = () => signed({ retCode: '0000', Memo: '退款受理成功', amount: '100', partnerOrderId: 'T1' });
      await expect(
        gateway.submit(request({ gatewayNotifyUrl: 'https://api.example.com/notify/umf' })),
      ).resolves.toEqual({ kind: 'processing', rawStatus: '0000' });
      const [sent] = transport.requests;
      expect(sent.url).toBe(`${BASE_URL}/in-pay-client/online/refund`);
      expect(sent.headers['Content-Type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
      expect(sent.fields).toMatchObject({
        subMerId: MERCHANT,
        proxyId: '0025',
        payType: 'AL',
        amount: '100',
        partnerOrderId: 'T1',
        refundPartnerOrderId: 'R1',
        orderDate: '20260104',
        apiVersion: '1.0',
        reqDate: '20260105',
        reqTime: '120000',
        notifyUrl: 'https://api.example.com/notify/umf',
      });
      expect(verifyUmfRequest({ fields: sent.fields, publicKeyPem: merchantKeys.publicKey })).toBe(true);
    });

    it('leaves out a notifyUrl UMF would refuse, and still refunds', async () => {
      await boot();
      transport.reply = () => signed({ retCode: '0000', Memo: 'ok' });
      await gateway.submit(request({ gatewayNotifyUrl: 'https://api.example.com/notify/umf-v2' }));
      await gateway.submit(request({ gatewayNotifyUrl: 'https://api.example.com/notify/umf_v2' }));
      expect(transport.requests.map((r) => r.fields['notifyUrl'])).toEqual([undefined, undefined]);
    });

    it('says once why it leaves the notifyUrl out, never the URL per refund', async () => {
      await boot();
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      try {
        transport.reply = () => signed({ retCode: '0000', Memo: 'ok' });
        await gateway.submit(request({ refundNo: 'R1', gatewayNotifyUrl: 'https://api.example.com/a-b' }));
        await gateway.submit(request({ refundNo: 'R2', gatewayNotifyUrl: 'https://api.example.com/c_d' }));
        expect(warn.mock.calls.filter(([message]) => String(message).includes('without notifyUrl'))).toHaveLength(1);
      } finally {
        warn.mockRestore();
      }
    });

    it('verifies answers in every documented reading by default: the doc order over GBK bytes', async () => {
      await boot();
      transport.reply = () => signed({ retCode: '0000', Memo: '退款成功' }, { variant: 'documented_gbk_with_empty' });
      await expect(gateway.submit(request())).resolves.toMatchObject({ kind: 'processing' });
    });

    it('tries only the pinned reading when answerVerification names one', async () => {
      await boot({ answerVerification: 'ascii_utf8' });
      transport.reply = () => signed({ retCode: '0000', Memo: '退款成功' }, { variant: 'documented_utf8' });
      await expect(gateway.submit(request())).resolves.toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
    });

    it('signs and verifies with SHA-256 when signatureHash says so', async () => {
      await boot({ signatureHash: 'sha256' });
      transport.reply = () => signed({ retCode: '0000', Memo: 'ok' }, { hash: 'sha256' });
      await expect(gateway.submit(request())).resolves.toMatchObject({ kind: 'processing' });
      const fields = transport.requests[0].fields;
      expect(verifyUmfRequest({ fields, publicKeyPem: merchantKeys.publicKey, hash: 'sha256' })).toBe(true);
      expect(verifyUmfRequest({ fields, publicKeyPem: merchantKeys.publicKey, hash: 'sha1' })).toBe(false);
    });

    it('verifies with the merchant’s own platform certificate over the module’s', async () => {
      await boot({}, { platformCertificate: otherPlatformKeys.publicKey });
      transport.reply = () => signed({ retCode: '0000', Memo: 'ok' }, { key: otherPlatformKeys.privateKey });
      await expect(gateway.submit(request())).resolves.toMatchObject({ kind: 'processing' });
      transport.reply = () => signed({ retCode: '0000', Memo: 'ok' });
      await expect(gateway.submit(request())).resolves.toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
    });

    it.each<[string, string, TransportResult]>([
      ['a timeout', 'timeout', { kind: 'failure', reason: 'timeout', detail: 'no answer within 300 ms' }],
      ['HTTP 502', 'http_5xx', { kind: 'answer', status: 502, body: 'Bad Gateway', headers: {} }],
      ['an HTML page', 'malformed', { kind: 'answer', status: 200, body: '<html>oops</html>', headers: {} }],
      ['an unsigned 0000', 'bad_signature', json({ retCode: '0000', Memo: 'ok' })],
      ['an unsigned 3333', 'bad_signature', json({ retCode: '3333', Memo: '验签失败' })],
    ])('%s is unknown (%s), never failed', async (_, reason, result) => {
      await boot();
      transport.reply = () => result;
      await expect(gateway.submit(request())).resolves.toMatchObject({ kind: 'unknown', reason });
    });

    it('resubmits with the same refund number', async () => {
      await boot();
      transport.reply = () => ({ kind: 'failure', reason: 'timeout', detail: 'late' });
      await gateway.submit(request());
      await gateway.submit(request({ attempt: 2 }));
      expect(transport.requests.map((r) => r.fields['refundPartnerOrderId'])).toEqual(['R1', 'R1']);
    });

    it('fails only on a signed listed refusal', async () => {
      await boot();
      transport.reply = () => signed({ retCode: '3333', Memo: '验签失败' });
      await expect(gateway.submit(request())).resolves.toMatchObject({ kind: 'failed', code: '3333' });
    });

    it('throws (an adapter error) for a merchant without any platform certificate', async () => {
      await boot({ platformCertificate: undefined });
      await expect(gateway.submit(request())).rejects.toThrow(
        'UMF merchant 30000101 has no platformCertificate and the module sets none',
      );
    });
  });

  describe('queries', () => {
    it('posts to /in-pay-client/refund/query with version 1.0 and reads status 1 as succeeded', async () => {
      await boot();
      transport.reply = () =>
        signed(
          {
            retCode: '0000',
            retMsg: '成功',
            status: '1',
            amount: '300',
            partnerOrderId: 'T1',
            refundPartnerOrderId: 'R1',
          },
          { message: 'query', variant: 'documented_utf8' },
        );
      await expect(gateway.query(gatewayRefundQuery(request()))).resolves.toEqual({
        kind: 'succeeded',
        rawStatus: '1',
      });
      const [sent] = transport.requests;
      expect(sent.url).toBe(`${BASE_URL}/in-pay-client/refund/query`);
      expect(sent.fields).toMatchObject({ version: '1.0', refundPartnerOrderId: 'R1', partnerOrderId: 'T1' });
      expect(sent.fields).not.toHaveProperty('apiVersion');
      expect(verifyUmfRequest({ fields: sent.fields, publicKeyPem: merchantKeys.publicKey })).toBe(true);
    });

    it('reads an operator-listed not-found code as not_found', async () => {
      await boot({ notFoundErrorCodes: ['00131040'] });
      transport.reply = () => signed({ retCode: '00131040', retMsg: '订单不存在' }, { message: 'query' });
      await expect(gateway.query(gatewayRefundQuery(request()))).resolves.toEqual({
        kind: 'not_found',
        code: '00131040',
        message: '订单不存在',
      });
    });
  });

  describe('notifications', () => {
    const base = {
      funCode: 'PayResultNotify',
      reqDate: '20260105',
      reqTime: '120102',
      merId: MERCHANT,
      payType: 'AL',
      shopNo: '',
      deviceType: 'Other',
      orderDate: '20260104',
      partnerOrderId: 'T1',
      amount: '100',
      tradeState: 'REFUND_SUCCESS',
      refundPartnerOrderId: 'R1',
    };
    const inbound = (
      fields: Record<string, string>,
      options: { key?: string; variant?: UmfNotificationVariant; after?: Record<string, string> } = {},
    ): InboundNotification => {
      const sign = signUmfNotification({
        fields,
        privateKeyPem: options.key ?? platformKeys.privateKey,
        variant: options.variant,
      });
      return {
        rawBody: Buffer.from(JSON.stringify({ ...fields, ...options.after, sign })),
        contentType: 'application/json',
        headers: {},
      };
    };
    const parse = (notification: InboundNotification) => gateway.notifications.parse(notification);

    it('verifies REFUND_SUCCESS and REFUND_FAIL about our refund, with the amount and the fields to echo', async () => {
      await boot();
      const echo = {
        funCode: 'PayResultNotify',
        reqDate: '20260105',
        reqTime: '120102',
        partnerOrderId: 'T1',
        orderDate: '20260104',
      };
      await expect(parse(inbound(base))).resolves.toEqual({
        kind: 'verified',
        merchantId: MERCHANT,
        refundNo: 'R1',
        amount: 100,
        echo,
        outcome: { kind: 'succeeded', rawStatus: 'REFUND_SUCCESS' },
      });
      await expect(parse(inbound({ ...base, tradeState: 'REFUND_FAIL' }))).resolves.toMatchObject({
        kind: 'verified',
        outcome: { kind: 'failed', rawStatus: 'REFUND_FAIL', code: 'UMF_REFUND_FAIL' },
      });
    });

    it.each(['ascii_utf8', 'ascii_gbk_with_empty', 'ascii_gbk'] as const)(
      'verifies a notification signed as %s',
      async (variant) => {
        await boot();
        await expect(parse(inbound(base, { variant }))).resolves.toMatchObject({ kind: 'verified' });
      },
    );

    it('rejects forged, tampered and unsigned ones, naming the refund so the core queries it', async () => {
      await boot();
      const named = { kind: 'rejected', merchantId: MERCHANT, refundNo: 'R1' };
      await expect(parse(inbound(base, { key: otherPlatformKeys.privateKey }))).resolves.toEqual({
        ...named,
        reason: 'wrong signature',
      });
      await expect(parse(inbound(base, { after: { amount: '10000' } }))).resolves.toEqual({
        ...named,
        reason: 'wrong signature',
      });
      await expect(
        parse({ rawBody: Buffer.from(JSON.stringify(base)), contentType: 'application/json', headers: {} }),
      ).resolves.toEqual({ ...named, reason: 'unsigned notification' });
    });

    it('rejects unreadable ones, ones without merId, and unknown merchants', async () => {
      await boot();
      const raw = (text: string) => parse({ rawBody: Buffer.from(text), contentType: null, headers: {} });
      await expect(raw('merId=1&sign=x')).resolves.toMatchObject({
        kind: 'rejected',
        reason: expect.stringContaining('unreadable'),
      });
      await expect(raw('{"tradeState":"REFUND_SUCCESS"}')).resolves.toEqual({
        kind: 'rejected',
        reason: 'notification without merId',
      });
      await expect(parse(inbound({ ...base, merId: '99999999' }))).resolves.toEqual({
        kind: 'rejected',
        reason: 'unknown merchant 99999999',
        merchantId: '99999999',
        refundNo: 'R1',
      });
    });

    it('maps merId to subMerId with notifyMerchantIds', async () => {
      await boot({ notifyMerchantIds: { '41193697': MERCHANT } });
      await expect(parse(inbound({ ...base, merId: '41193697' }))).resolves.toMatchObject({
        kind: 'verified',
        merchantId: MERCHANT,
      });
    });

    it('a verified payment notification changes no refund: unknown when it names a refund, rejected otherwise', async () => {
      await boot();
      const payOfRefund = await parse(inbound({ ...base, tradeState: 'TRADE_SUCCESS' }));
      expect(payOfRefund).not.toHaveProperty('amount');
      expect(payOfRefund).toMatchObject({
        kind: 'verified',
        refundNo: 'R1',
        outcome: { kind: 'unknown', reason: 'unrecognized', rawStatus: 'TRADE_SUCCESS' },
      });
      const { refundPartnerOrderId: _, ...payment } = { ...base, tradeState: 'TRADE_SUCCESS' };
      await expect(parse(inbound(payment))).resolves.toEqual({
        kind: 'rejected',
        reason: "not a refund notification (tradeState 'TRADE_SUCCESS')",
        merchantId: MERCHANT,
      });
    });

    it('answers a verified notification 0000, echoing it, signed with the merchant key, whatever its disposition', async () => {
      await boot();
      const parsed: NotificationParseResult = await parse(inbound(base));
      if (parsed.kind !== 'verified') throw new Error('expected a verified notification');
      for (const disposition of ['applied', 'unknown_refund', 'rejected'] as const) {
        const answer = await gateway.notifications.answer({ disposition, notification: parsed });
        expect(answer).toMatchObject({ status: 200, contentType: 'application/json; charset=utf-8' });
        const ack = JSON.parse(answer.body) as Record<string, string>;
        expect(ack).toEqual({
          funCode: 'PayResultNotify',
          reqDate: '20260105',
          reqTime: '120102',
          retCode: '0000',
          retMsg: '',
          partnerOrderId: 'T1',
          orderDate: '20260104',
          sign: expect.any(String),
        });
        expect(verifyUmfNotificationAck({ fields: ack, publicKeyPem: merchantKeys.publicKey })).toBe(true);
      }
    });

    it('answers an unverified notification or our own error with a non-0000 code, so UMF delivers again', async () => {
      await boot();
      const rejected = await gateway.notifications.answer({ disposition: 'rejected' });
      expect(rejected.status).toBe(400);
      expect(JSON.parse(rejected.body)).toMatchObject({ retCode: '3333' });
      const error = await gateway.notifications.answer({ disposition: 'error' });
      expect(error.status).toBe(500);
      expect(JSON.parse(error.body)).toMatchObject({ retCode: '9999' });
    });
  });
});

describe('UMF configuration', () => {
  const problems = (section: object) =>
    umfConfigSchema.safeParse(section).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  const merchant = { proxyId: '0025', privateKey: 'PEM' };

  it('wants a platform certificate for every merchant, once for all or each its own', () => {
    expect(problems({ baseUrl: 'https://mofunapi.umfintech.com', merchants: { '30000101': merchant } })).toEqual([
      'merchants.30000101.platformCertificate: required (or set gateways.umf.platformCertificate for all merchants)',
    ]);
    expect(
      problems({ baseUrl: 'https://mofunapi.umfintech.com', platformCertificate: 'PEM', merchants: { '1': merchant } }),
    ).toEqual([]);
    expect(
      problems({
        baseUrl: 'https://mofunapi.umfintech.com',
        merchants: { '1': { ...merchant, platformCertificate: 'PEM' } },
      }),
    ).toEqual([]);
  });

  it('needs no certificate for the sandbox, which brings its own', () => {
    expect(problems({ baseUrl: 'sandbox', merchants: { '1': merchant } })).toEqual([]);
  });

  it('reads every option, with defaults, and refuses unknown variants and keys', () => {
    const parsed = umfConfigSchema.parse({ baseUrl: 'sandbox', merchants: { '1': merchant } });
    expect(parsed).toMatchObject({
      signatureHash: 'sha1',
      answerVerification: 'auto',
      notificationVerification: 'auto',
      notifyMerchantIds: {},
      failedErrorCodes: [],
      timeoutMs: 10_000,
    });
    expect(problems({ baseUrl: 'sandbox', answerVerification: 'utf8', merchants: { '1': merchant } })).toHaveLength(1);
    expect(problems({ baseUrl: 'sandbox', merchants: { '1': { ...merchant, key: 'x' } } })).toHaveLength(1);
    expect(problems({ baseUrl: 'sandbox', merchants: { '1': { privateKey: 'PEM' } } })).toEqual([
      'merchants.1.proxyId: Invalid input: expected string, received undefined',
    ]);
  });

  it('checks the module options at boot', () => {
    const settings = new UmfSettings({ baseUrl: 'https://mofunapi.umfintech.com/' });
    expect(settings).toMatchObject({
      refundUrl: 'https://mofunapi.umfintech.com/in-pay-client/online/refund',
      queryUrl: 'https://mofunapi.umfintech.com/in-pay-client/refund/query',
      signatureHash: 'sha1',
      answerVerification: 'auto',
    });
    expect(settings.merchantOfNotification('41193697')).toBe('41193697');
    expect(() => new UmfSettings({ baseUrl: 'https://x', platformCertificate: platformKeys.privateKey })).toThrow(
      'UMF platformCertificate is a private key',
    );
    expect(() => new UmfSettings({ baseUrl: 'https://x', platformCertificate: 'not a pem' })).toThrow(
      'UMF platformCertificate is malformed',
    );
    expect(
      () => new UmfSettings({ baseUrl: 'https://x', answerVerification: 'utf8' as UmfOptions['answerVerification'] }),
    ).toThrow('UMF option answerVerification must be one of auto, ascii_utf8');
  });
});

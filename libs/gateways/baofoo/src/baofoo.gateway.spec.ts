import { generateKeyPairSync } from 'node:crypto';

import { Test, type TestingModule } from '@nestjs/testing';
import { GatewayTransport, type TransportRequest, type TransportResult } from '@refundhub/gateway-kit';
import {
  FakeClock,
  gatewayRefundQuery,
  gatewayRefundRequest,
  TestCredentialsModule,
} from '@refundhub/gateway-kit/testing';

import { decodeBaofooRequestEnvelope, encodeBaofooAnswer, parseBaofooJsonObject } from './baofoo.codec';
import { baofooConfigSchema } from './baofoo.config';
import { BaofooGateway } from './baofoo.gateway';
import { BaofooModule } from './baofoo.module';
import { BaofooSettings, type BaofooOptions } from './baofoo.options';
import { signBaofoo, verifyBaofoo } from './baofoo.signer';
import type { BaofooAnswerEnvelope, BaofooReceivedRequestEnvelope } from './baofoo.types';

// What is Baofoo's own, over a fake transport; what every gateway must do is in baofoo.contract.spec.ts.

const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const merchantKeys = pair();
const platformKeys = pair();
const otherPlatformKeys = pair();

const MERCHANT = '100000';
const TERMINAL = '200000';
const BASE_URL = 'https://mch-juhe.baofoo.com';

/** How the fake signs its next answer. */
type Signing = 'platform' | 'uppercase' | 'other' | 'none';

interface Received {
  url: string;
  headers: Readonly<Record<string, string>>;
  envelope: BaofooReceivedRequestEnvelope;
  biz: Record<string, unknown>;
}

/** Baofoo as far as one call goes: records the form envelope and answers signed data. */
class FakeBaofoo extends GatewayTransport {
  readonly received: Received[] = [];
  data: (biz: Record<string, unknown>) => object = (biz) => ({
    outTradeNo: biz['outTradeNo'],
    tradeNo: 'BFR1',
    refundAmt: biz['refundAmt'],
    totalAmt: biz['totalAmt'],
    resultCode: 'SUCCESS',
    refundState: 'REFUND',
  });
  signing: Signing = 'platform';
  raw: TransportResult | undefined;
  envelope: Partial<BaofooAnswerEnvelope> = {};

  async post(request: TransportRequest): Promise<TransportResult> {
    const envelope = decodeBaofooRequestEnvelope(String(request.body));
    const biz = parseBaofooJsonObject(envelope.bizContent ?? '');
    this.received.push({ url: request.url, headers: request.headers, envelope, biz });
    if (this.raw) return this.raw;
    const dataContent = JSON.stringify(this.data(biz));
    const signed = signBaofoo({
      privateKeyPem: this.signing === 'other' ? otherPlatformKeys.privateKey : platformKeys.privateKey,
      content: dataContent,
    });
    const answer: BaofooAnswerEnvelope = {
      returnCode: 'SUCCESS',
      returnMsg: '成功',
      merId: MERCHANT,
      terId: TERMINAL,
      signType: 'RSA',
      ...(this.signing === 'none' ? {} : { signStr: this.signing === 'uppercase' ? signed.toUpperCase() : signed }),
      dataContent,
      ...this.envelope,
    };
    return { kind: 'answer', status: 200, body: encodeBaofooAnswer(answer), headers: {} };
  }
}

describe(BaofooGateway.name, () => {
  let module: TestingModule;
  let sut: BaofooGateway;
  let baofoo: FakeBaofoo;
  const clock = new FakeClock(new Date('2026-01-05T16:30:05Z'));

  const boot = async (options: Partial<BaofooOptions> = {}, merchant: Record<string, string> = {}): Promise<void> => {
    baofoo = new FakeBaofoo();
    module = await Test.createTestingModule({
      imports: [
        TestCredentialsModule.forRoot({
          baofoo: { [MERCHANT]: { terId: TERMINAL, privateKey: merchantKeys.privateKey, ...merchant } },
        }),
        BaofooModule.forRoot({
          baseUrl: `${BASE_URL}/`,
          platformPublicKey: platformKeys.publicKey,
          transport: baofoo,
          ...options,
        }),
      ],
    }).compile();
    sut = module.get(BaofooGateway);
  };
  const request = (overrides: Parameters<typeof gatewayRefundRequest>[0] = {}) =>
    gatewayRefundRequest({
      merchantId: MERCHANT,
      refundNo: 'R1',
      amount: 100,
      reason: '用户取消订单',
      now: clock.now(),
      ...overrides,
    });

  afterEach(() => module?.close());

  describe('order_refund', () => {
    beforeEach(() => boot());

    it('posts the signed form envelope to <baseUrl>/api, stamped in China time', async () => {
      await expect(sut.submit(request())).resolves.toEqual({
        kind: 'processing',
        rawStatus: 'REFUND',
        gatewayRefundNo: 'BFR1',
      });
      const [call] = baofoo.received;
      expect(call.url).toBe(`${BASE_URL}/api`);
      expect(call.headers['Content-Type']).toMatch(/^application\/x-www-form-urlencoded/);
      expect(call.envelope).toEqual({
        merId: MERCHANT,
        terId: TERMINAL,
        method: 'order_refund',
        charset: 'UTF-8',
        version: '1.0',
        format: 'json',
        timestamp: '20260106003005',
        signType: 'RSA',
        signSn: '1',
        ncrptnSn: '1',
        dgtlEnvlp: '',
        signStr: expect.stringMatching(/^[0-9a-f]{512}$/),
        bizContent: expect.any(String),
      });
      expect(
        verifyBaofoo({
          publicKeyPem: merchantKeys.publicKey,
          content: call.envelope.bizContent ?? '',
          signStr: call.envelope.signStr,
        }),
      ).toBe(true);
      expect(call.biz).toEqual({
        merId: MERCHANT,
        terId: TERMINAL,
        originOutTradeNo: 'T20260105000001',
        outTradeNo: 'R1',
        refundAmt: 100,
        totalAmt: 100,
        txnTime: '20260106003005',
        refundReason: '用户取消订单',
      });
    });

    it('resends the same refund number with the time of the new submission', async () => {
      const later = new FakeClock(clock.now());
      await sut.submit(request());
      later.advance(60_000);
      await sut.submit({ ...request(), now: later.now(), attempt: 2 });
      expect(baofoo.received.map((r) => [r.biz['outTradeNo'], r.biz['txnTime'], r.envelope.timestamp])).toEqual([
        ['R1', '20260106003005', '20260106003005'],
        ['R1', '20260106003105', '20260106003105'],
      ]);
    });

    it('accepts Baofoo signatures in uppercase hex', async () => {
      baofoo.signing = 'uppercase';
      await expect(sut.submit(request())).resolves.toMatchObject({ kind: 'processing' });
    });

    it.each([
      ['signed with another key', 'other', 'Baofoo answer is wrongly signed'],
      ['unsigned', 'none', 'Baofoo answer is unsigned'],
    ] as const)('does not trust an answer %s', async (_, signing, detail) => {
      baofoo.signing = signing;
      baofoo.data = () => ({ outTradeNo: 'R1', resultCode: 'FAIL', errCode: 'REFUND_AMT_EXCEEDS' });
      await expect(sut.submit(request())).resolves.toMatchObject({ kind: 'unknown', reason: 'bad_signature', detail });
    });

    it('reads returnCode SUCCESS without dataContent, an HTTP error and a broken body as unknown', async () => {
      baofoo.envelope = { dataContent: undefined, signStr: undefined };
      await expect(sut.submit(request())).resolves.toMatchObject({ kind: 'unknown', reason: 'malformed' });
      baofoo.raw = { kind: 'answer', status: 502, body: 'bad gateway', headers: {} };
      await expect(sut.submit(request())).resolves.toMatchObject({ kind: 'unknown', reason: 'http_5xx' });
      baofoo.raw = { kind: 'answer', status: 200, body: '<html>', headers: {} };
      await expect(sut.submit(request())).resolves.toMatchObject({ kind: 'unknown', reason: 'malformed' });
      baofoo.raw = { kind: 'failure', reason: 'timeout', detail: 'no answer within 10000 ms' };
      await expect(sut.submit(request())).resolves.toMatchObject({ kind: 'unknown', reason: 'timeout' });
    });

    it('maps NOT_SUPPORT_CONCURRENT to deferred and declares one refund in flight per order', async () => {
      baofoo.data = () => ({ outTradeNo: 'R1', resultCode: 'FAIL', errCode: 'NOT_SUPPORT_CONCURRENT' });
      await expect(sut.submit(request())).resolves.toMatchObject({ kind: 'deferred', code: 'NOT_SUPPORT_CONCURRENT' });
      expect(sut.capabilities).toEqual({ oneRefundInFlightPerOrder: true });
    });

    it('validates with the package rules', () => {
      expect(sut.validate(request({ reason: null })).problems.map((p) => p.field)).toEqual(['reason']);
    });
  });

  describe('refund_query', () => {
    beforeEach(() => boot());

    it('asks by outTradeNo and tradeNo; reads the final state', async () => {
      baofoo.data = (biz) => ({
        outTradeNo: biz['outTradeNo'],
        tradeNo: biz['tradeNo'],
        resultCode: 'SUCCESS',
        refundState: 'SUCCESS',
        succAmt: 100,
        finishTime: '20260106003500',
      });
      await expect(sut.query(gatewayRefundQuery(request(), { gatewayRefundNo: 'BFR1' }))).resolves.toEqual({
        kind: 'succeeded',
        rawStatus: 'SUCCESS',
        gatewayRefundNo: 'BFR1',
        finishedAt: new Date('2026-01-05T16:35:00Z'),
      });
      expect(baofoo.received[0].envelope.method).toBe('refund_query');
      expect(baofoo.received[0].biz).toEqual({ merId: MERCHANT, terId: TERMINAL, outTradeNo: 'R1', tradeNo: 'BFR1' });
    });

    it('answers not_found for ORDER_NOT_EXIST', async () => {
      baofoo.data = () => ({ outTradeNo: 'R1', resultCode: 'FAIL', errCode: 'ORDER_NOT_EXIST' });
      await expect(sut.query(gatewayRefundQuery(request()))).resolves.toMatchObject({ kind: 'not_found' });
    });
  });

  describe('options', () => {
    it("verifies with the merchant's own platformPublicKey over the gateway's", async () => {
      await boot({}, { platformPublicKey: otherPlatformKeys.publicKey, signSn: '7', ncrptnSn: '9' });
      await expect(sut.submit(request())).resolves.toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
      baofoo.signing = 'other';
      await expect(sut.submit(request())).resolves.toMatchObject({ kind: 'processing' });
      expect(baofoo.received[0].envelope).toMatchObject({ signSn: '7', ncrptnSn: '9' });
    });

    it('sends the order paid time as txnTime with txnTime: paid_at', async () => {
      await boot({ txnTime: 'paid_at' });
      await sut.submit(request({ order: { paidAt: new Date('2025-12-31T16:00:01Z') } }));
      expect(baofoo.received[0].biz['txnTime']).toBe('20260101000001');
      expect(baofoo.received[0].envelope.timestamp).toBe('20260106003005');
    });

    it('refuses a missing platform key when it is needed, an unreadable one at boot, and an unknown txnTime', async () => {
      await boot({ platformPublicKey: undefined });
      await expect(sut.submit(request())).rejects.toThrow(
        'Baofoo merchant 100000 has no platformPublicKey and the option platformPublicKey is not set',
      );
      expect(() => new BaofooSettings({ baseUrl: BASE_URL, platformPublicKey: 'nope' })).toThrow(
        'Baofoo option platformPublicKey is malformed',
      );
      expect(() => new BaofooSettings({ baseUrl: BASE_URL, txnTime: 'order' as 'paid_at' })).toThrow(
        'Baofoo option txnTime must be one of submission, paid_at',
      );
      expect(new BaofooSettings({ baseUrl: `${BASE_URL}/` }).apiUrl).toBe(`${BASE_URL}/api`);
    });
  });
});

describe('gateways.baofoo', () => {
  const problems = (section: object) =>
    baofooConfigSchema.safeParse(section).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  const merchant = { terId: TERMINAL, privateKey: 'k' };

  it('wants a platform key for every merchant, from the merchant or the gateway, except for the sandbox', () => {
    expect(problems({ baseUrl: BASE_URL, merchants: { [MERCHANT]: merchant } })).toEqual([
      "merchants.100000.platformPublicKey: required (Baofoo's public key verifies answers), or set platformPublicKey for all merchants",
    ]);
    expect(problems({ baseUrl: BASE_URL, platformPublicKey: 'p', merchants: { [MERCHANT]: merchant } })).toEqual([]);
    expect(problems({ baseUrl: BASE_URL, merchants: { [MERCHANT]: { ...merchant, platformPublicKey: 'p' } } })).toEqual(
      [],
    );
    expect(problems({ baseUrl: 'sandbox', merchants: { [MERCHANT]: merchant } })).toEqual([]);
  });

  it('reads every option, with defaults', () => {
    const parsed = baofooConfigSchema.parse({ baseUrl: 'sandbox', merchants: { [MERCHANT]: merchant } });
    expect(parsed).toMatchObject({
      txnTime: 'submission',
      timeoutMs: 10_000,
      deferredErrorCodes: [],
      failedErrorCodes: [],
      merchants: { [MERCHANT]: { terId: TERMINAL, signSn: '1', ncrptnSn: '1' } },
    });
    expect(problems({ baseUrl: 'sandbox', txnTime: 'order', merchants: { [MERCHANT]: merchant } })).toHaveLength(1);
    expect(problems({ baseUrl: 'sandbox', merchants: { [MERCHANT]: { privateKey: 'k', key: 'x' } } })).toEqual([
      'merchants.100000.terId: Invalid input: expected string, received undefined',
      'merchants.100000: Unrecognized key: "key"',
    ]);
  });
});

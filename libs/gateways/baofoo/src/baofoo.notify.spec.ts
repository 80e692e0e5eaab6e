import { generateKeyPairSync } from 'node:crypto';

import { Test, type TestingModule } from '@nestjs/testing';
import type { InboundNotification } from '@refundhub/core';
import { TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { encodeBaofooNotification } from './baofoo.codec';
import { BaofooModule } from './baofoo.module';
import { BaofooNotifications } from './baofoo.notify';
import { signBaofoo } from './baofoo.signer';
import type { BaofooNotificationEnvelope } from './baofoo.types';

const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const merchantKeys = pair();
const platformKeys = pair();
const strangerKeys = pair();

const MERCHANT = '100000';

const successData = {
  merId: MERCHANT,
  terId: '200000',
  tradeNo: 'BFR1',
  outTradeNo: 'R1',
  refundState: 'SUCCESS',
  finishTime: '20260106003500',
  succAmt: 100,
  resultCode: 'SUCCESS',
  txnTime: '20260106003005',
};

/** A notification as Baofoo posts it, signed over the exact dataContent string. */
function notification(
  input: {
    data?: object | string;
    format?: 'json' | 'form';
    signer?: string;
    envelope?: Partial<BaofooNotificationEnvelope>;
    contentType?: string | null;
  } = {},
): InboundNotification {
  const dataContent = typeof input.data === 'string' ? input.data : JSON.stringify(input.data ?? successData);
  const envelope: BaofooNotificationEnvelope = {
    merId: MERCHANT,
    terId: '200000',
    charset: 'UTF-8',
    version: '1.0',
    format: 'json',
    signType: 'RSA',
    signSn: '1',
    ncrptnSn: '1',
    notifyType: 'REFUND',
    signStr: signBaofoo({ privateKeyPem: input.signer ?? platformKeys.privateKey, content: dataContent }),
    dataContent,
    ...input.envelope,
  };
  const { body, contentType } = encodeBaofooNotification({ envelope, format: input.format ?? 'json' });
  return {
    rawBody: Buffer.from(body, 'utf8'),
    contentType: input.contentType === undefined ? contentType : input.contentType,
    headers: {},
  };
}

describe(BaofooNotifications.name, () => {
  let module: TestingModule;
  let sut: BaofooNotifications;

  beforeEach(async () => {
    module = await Test.createTestingModule({
      imports: [
        TestCredentialsModule.forRoot({
          baofoo: {
            [MERCHANT]: { terId: '200000', privateKey: merchantKeys.privateKey },
            '100009': { terId: '200009', privateKey: merchantKeys.privateKey, platformPublicKey: 'not a key' },
          },
        }),
        BaofooModule.forRoot({ baseUrl: 'https://juhe.baofoo.com', platformPublicKey: platformKeys.publicKey }),
      ],
    }).compile();
    sut = module.get(BaofooNotifications);
  });
  afterEach(() => module.close());

  const verified = {
    kind: 'verified',
    merchantId: MERCHANT,
    refundNo: 'R1',
    gatewayRefundNo: 'BFR1',
    amount: 100,
    outcome: {
      kind: 'succeeded',
      rawStatus: 'SUCCESS',
      gatewayRefundNo: 'BFR1',
      finishedAt: new Date('2026-01-05T16:35:00Z'),
    },
  };

  it.each(['json', 'form'] as const)('verifies a %s body over the raw dataContent', async (format) => {
    await expect(sut.parse(notification({ format }))).resolves.toEqual(verified);
  });

  it('sniffs a body posted without a Content-Type, and accepts an uppercase signStr', async () => {
    await expect(sut.parse(notification({ format: 'form', contentType: null }))).resolves.toEqual(verified);
    const upper = notification();
    const envelope = JSON.parse(upper.rawBody.toString('utf8')) as BaofooNotificationEnvelope;
    const body = JSON.stringify({ ...envelope, signStr: envelope.signStr?.toUpperCase() });
    await expect(sut.parse({ ...upper, rawBody: Buffer.from(body) })).resolves.toEqual(verified);
  });

  it('reads numbers where strings are documented once the signature holds', async () => {
    const data = `{"merId":${MERCHANT},"outTradeNo":"R1","refundState":"SUCCESS","succAmt":"100","resultCode":"SUCCESS"}`;
    const parsed = await sut.parse(notification({ data, envelope: { merId: undefined } }));
    expect(parsed).toMatchObject({ kind: 'verified', merchantId: MERCHANT, refundNo: 'R1', amount: 100 });
  });

  it('without refundState, resultCode tells the outcome', async () => {
    const { refundState: _state, ...data } = successData;
    await expect(sut.parse(notification({ data }))).resolves.toMatchObject({ outcome: { kind: 'succeeded' } });
    const failed = { ...data, resultCode: 'FAIL', errCode: 'REFUND_AMT_EXCEEDS', succAmt: undefined };
    await expect(sut.parse(notification({ data: failed }))).resolves.toMatchObject({
      kind: 'verified',
      outcome: { kind: 'failed', code: 'REFUND_AMT_EXCEEDS' },
    });
    expect(await sut.parse(notification({ data: failed }))).not.toHaveProperty('amount');
  });

  it('rejects a forged one, naming the merchant and refund so the core queries it now', async () => {
    await expect(sut.parse(notification({ signer: strangerKeys.privateKey }))).resolves.toEqual({
      kind: 'rejected',
      reason: 'wrong signature',
      merchantId: MERCHANT,
      refundNo: 'R1',
    });
    await expect(sut.parse(notification({ envelope: { signStr: undefined } }))).resolves.toMatchObject({
      kind: 'rejected',
      reason: 'unsigned notification',
      refundNo: 'R1',
    });
  });

  it('rejects a dataContent changed after signing', async () => {
    const genuine = notification();
    const tampered = genuine.rawBody.toString('utf8').replace('\\"succAmt\\":100', '\\"succAmt\\":900');
    expect(tampered).not.toBe(genuine.rawBody.toString('utf8'));
    await expect(sut.parse({ ...genuine, rawBody: Buffer.from(tampered) })).resolves.toMatchObject({
      kind: 'rejected',
      reason: 'wrong signature',
    });
  });

  it('rejects other notify types without reading them as refunds', async () => {
    await expect(sut.parse(notification({ envelope: { notifyType: 'PAYMENT' } }))).resolves.toEqual({
      kind: 'rejected',
      reason: "notifyType 'PAYMENT' is not a refund notification",
    });
    await expect(sut.parse(notification({ envelope: { notifyType: undefined } }))).resolves.toMatchObject({
      kind: 'rejected',
    });
  });

  it.each([
    [
      'an unknown merchant',
      { data: { ...successData, merId: '999' }, envelope: { merId: '999' } },
      'unknown merchant 999',
    ],
    [
      'a merchant whose key is broken',
      { data: { ...successData, merId: '100009' }, envelope: { merId: '100009' } },
      'merchant credentials are misconfigured',
    ],
    [
      'a merId that differs from the signed one',
      { envelope: { merId: '100001' } },
      'envelope merId 100001 differs from the signed merId',
    ],
    ['no outTradeNo', { data: { ...successData, outTradeNo: undefined } }, 'notification without merId or outTradeNo'],
    ['an amount that is not one', { data: { ...successData, succAmt: '1.00' } }, 'succAmt "1.00" is not an amount'],
    ['no dataContent', { envelope: { dataContent: undefined } }, 'notification without dataContent'],
    ['a dataContent that is not JSON', { data: 'oops' }, 'unreadable dataContent: dataContent is not JSON'],
  ] as const)('rejects %s', async (_, input, reason) => {
    const parsed = await sut.parse(notification(input));
    expect(parsed).toMatchObject({ kind: 'rejected', reason: expect.stringContaining(reason) });
  });

  it('rejects an unreadable body without throwing', async () => {
    await expect(
      sut.parse({ rawBody: Buffer.from('{"merId":'), contentType: 'application/json', headers: {} }),
    ).resolves.toMatchObject({ kind: 'rejected', reason: expect.stringContaining('unreadable notification') });
    await expect(sut.parse({ rawBody: Buffer.from('a=1&a=2'), contentType: null, headers: {} })).resolves.toMatchObject(
      {
        kind: 'rejected',
      },
    );
  });

  it('answers OK (plain, 200) to an applied notification only', () => {
    expect(sut.answer({ disposition: 'applied' })).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'OK',
    });
    for (const disposition of ['rejected', 'unknown_refund', 'error'] as const) {
      expect(sut.answer({ disposition }).body).toBe('FAIL');
    }
  });
});

import { generateKeyPairSync, sign } from 'node:crypto';

import { encodeText } from '@refundhub/gateway-kit';

import { UMF_ANSWER_VARIANTS, UMF_NOTIFICATION_VARIANTS } from './umf.sign-variants';
import {
  signUmfAnswer,
  signUmfNotification,
  signUmfNotificationAck,
  signUmfRequest,
  umfAnswerSignString,
  umfNotificationAckSignString,
  umfNotificationSignString,
  umfRequestSignString,
  verifyUmfAnswer,
  verifyUmfNotification,
  verifyUmfNotificationAck,
  verifyUmfRequest,
} from './umf.signer';

/** PROTOCOLS.md §3 "UMF test vectors": a made-up 1024-bit key; PKCS#1 v1.5 is deterministic. */
const VECTOR_KEY = `-----BEGIN PRIVATE KEY-----
MIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAJv51+SSjQWRX+pB
uddxyFLcdojsMCBBVbatXqkcVCL7hOa9+lzhiI+ptMTtz0x1mcz7W3Ka1Kl5357k
fCoMqI7Psi4LhFEscxlHm0aLtzazBJqova/zHmUtIYsomlHVGiV3AsFuog7eEtdZ
AAPPGfTDH+goNMyti0rF3mvk9fD3AgMBAAECgYB5Uti0qa3Z0994ltFYnN/GXEgz
bwxsOoXSh35nKmrjnyMcXE+/KYsQvF+pApXJknwkrqvONFMQ1IS10mImTxxYan+W
1sXrEai8wT584+Kq/08yICmz7JsFy16lnyk7HRKv/SnXS4qOjCgqrhREzeQFKlIf
r0WVK34Z6CP9skvdOQJBAM4lPZDelP58QjIhjrArxtn04ZOxCUGcibCKAZQxnvRt
/5TyVHc+nmOsMWVYxLP+V0OjESzT+BbdZgFSQPVZeeMCQQDBsolT+FxZahhX3Qey
zzkE6p06p3CcfbE16XG3fMzHZ0SFsp1hXFkZBKweDaDFPWCCuvcf/cq3GBbTF2Ua
VujdAkATLl/mJO/UJhe6tmiid9BO43xB0806r6gYJx8yfNN/huSrJUk6tzbhq1oF
Rhc3cEkKYBfvBeIlroAZS2AD9EllAkAnxpPwzGWabvEEyfzUuT0KR2t2KgA0ApOr
cH7LoTMkF464rc8nuSEKxCzcFwxWtJ3m+qHYzfMc2jOFsZ4vZH15AkBPEIXr2aFY
uB4oHx7Fg3OyfMW5TVYJcIBzsFKoc/CG/+BlTJaIfcZd0+wvH6moABWNB10oL4Ss
/XNuWj5+6WDc
-----END PRIVATE KEY-----`;

const VECTOR_REFUND = {
  subMerId: '30000101',
  payType: 'AL',
  proxyId: '0025',
  amount: '1',
  partnerOrderId: '0101180116193952366',
  refundPartnerOrderId: 'R0101180116193952366',
  orderDate: '20180115',
  apiVersion: '1.0',
  reqDate: '20180313',
  reqTime: '105252',
  shopNo: '',
  operator: '',
  notifyUrl: 'https://example.com/umf/notify',
};

// 1024-bit keys, as UMF's certificates are: cheap enough to make once per file.
const keyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const merchant = keyPair();
const platform = keyPair();
const stranger = keyPair();

describe('UMF signer', () => {
  describe('requests (k=v&, merchant key)', () => {
    it('reproduces the PROTOCOLS.md refund vector byte for byte', () => {
      expect(umfRequestSignString(VECTOR_REFUND)).toBe(
        'amount=1&apiVersion=1.0&notifyUrl=https://example.com/umf/notify&orderDate=20180115' +
          '&partnerOrderId=0101180116193952366&payType=AL&proxyId=0025&refundPartnerOrderId=R0101180116193952366' +
          '&reqDate=20180313&reqTime=105252&subMerId=30000101',
      );
      expect(signUmfRequest({ fields: VECTOR_REFUND, privateKeyPem: VECTOR_KEY })).toBe(
        'WEN7nCszxdX5ePEFxO4ETIwl/qikRYuolDubGr4/UOIl2uXOeHDe0qW6swk0xRVCSeg+ob6lvAuaBah4iKuMnRAn43HG9HsqKAUiH3Oi' +
          'Oi3uu0hxJBjjPl9xjX8dXM/EXUcB9rUJ3TzGmcNrlHqYrDg52PjueABYQ7NnmvF36wE=',
      );
    });

    it("reproduces the doc's own canonical string, the empty shopId dropped", () => {
      expect(
        umfRequestSignString({
          subMerId: '99960001',
          payType: 'AL',
          proxyId: '0025',
          amount: '1234',
          partnerOrderId: 'HSAPI619585101312876',
          shopId: '',
          sign: 'ignored',
        }),
      ).toBe('amount=1234&partnerOrderId=HSAPI619585101312876&payType=AL&proxyId=0025&subMerId=99960001');
    });

    it.each(['sha1', 'sha256'] as const)(
      'round-trips with %s; another key or a changed field does not verify',
      (hash) => {
        const sign = signUmfRequest({ fields: VECTOR_REFUND, privateKeyPem: merchant.privateKey, hash });
        const signed = { ...VECTOR_REFUND, sign };
        expect(verifyUmfRequest({ fields: signed, publicKeyPem: merchant.publicKey, hash })).toBe(true);
        expect(verifyUmfRequest({ fields: signed, publicKeyPem: stranger.publicKey, hash })).toBe(false);
        expect(verifyUmfRequest({ fields: { ...signed, amount: '2' }, publicKeyPem: merchant.publicKey, hash })).toBe(
          false,
        );
        expect(
          verifyUmfRequest({
            fields: signed,
            publicKeyPem: merchant.publicKey,
            hash: hash === 'sha1' ? 'sha256' : 'sha1',
          }),
        ).toBe(false);
      },
    );
  });

  describe('answers (|-joined values, platform key)', () => {
    const refundAnswer = { retCode: '0000', Memo: '退款成功', amount: '1', partnerOrderId: 'P1', orderDate: '' };

    it('orders the values by each variant: ASCII puts Memo first, the doc puts retCode first', () => {
      const string = (variant: (typeof UMF_ANSWER_VARIANTS)[number]) =>
        umfAnswerSignString({ fields: refundAnswer, variant, message: 'refund' });
      expect(string('ascii_utf8')).toBe('退款成功|1|P1|0000');
      expect(string('case_insensitive_utf8')).toBe('1|退款成功|P1|0000');
      expect(string('documented_utf8')).toBe('0000|退款成功|P1|1');
      expect(string('ascii_gbk_with_empty')).toBe('退款成功|1||P1|0000');
      expect(string('documented_gbk_with_empty')).toBe('0000|退款成功|P1|1|');
      expect(string('ascii_gbk')).toBe('退款成功|1|P1|0000');
    });

    it("reproduces the doc's answer example `0000|退款成功` under the documented order", () => {
      expect(
        umfAnswerSignString({
          fields: { retCode: '0000', Memo: '退款成功' },
          variant: 'documented_utf8',
          message: 'refund',
        }),
      ).toBe('0000|退款成功');
    });

    it('puts undocumented fields after the documented ones, in ASCII order', () => {
      const fields = { zeta: 'z', status: '1', retCode: '0000', alpha: 'a', retMsg: 'ok' };
      expect(umfAnswerSignString({ fields, variant: 'documented_utf8', message: 'query' })).toBe('0000|ok|1|a|z');
    });

    it.each(UMF_ANSWER_VARIANTS)(
      'round-trips the %s variant; a reading that builds other bytes does not verify',
      (variant) => {
        const sign = signUmfAnswer({
          fields: refundAnswer,
          privateKeyPem: platform.privateKey,
          message: 'refund',
          variant,
        });
        const signed = { ...refundAnswer, sign };
        const verify = (v: typeof variant, publicKeyPem = platform.publicKey) =>
          verifyUmfAnswer({ fields: signed, publicKeyPem, message: 'refund', variant: v });
        expect(verify(variant)).toBe(true);
        expect(verify(variant, stranger.publicKey)).toBe(false);
        const others = UMF_ANSWER_VARIANTS.filter((other) => other !== variant && verify(other));
        // Variants that build the same bytes for this answer verify alike; distinct ones never do.
        const bytes = (v: typeof variant) =>
          encodeText(
            umfAnswerSignString({ fields: refundAnswer, variant: v, message: 'refund' }),
            v.endsWith('_utf8') ? 'utf8' : 'gbk',
          ).toString('hex');
        for (const other of others) expect(bytes(other)).toBe(bytes(variant));
      },
    );

    it('signs GBK bytes for the GBK variants (as a Java platform with getBytes("GBK") would)', () => {
      const fields = { retCode: '0000', Memo: '退款成功' };
      const javaStyle = sign('sha1', encodeText('退款成功|0000', 'gbk'), platform.privateKey).toString('base64');
      expect(
        verifyUmfAnswer({
          fields: { ...fields, sign: javaStyle },
          publicKeyPem: platform.publicKey,
          message: 'refund',
          variant: 'ascii_gbk',
        }),
      ).toBe(true);
      expect(
        verifyUmfAnswer({
          fields: { ...fields, sign: javaStyle },
          publicKeyPem: platform.publicKey,
          message: 'refund',
          variant: 'ascii_utf8',
        }),
      ).toBe(false);
    });

    it('never verifies a missing, empty or garbled sign', () => {
      for (const sign of [undefined, '', 'not base64!']) {
        expect(
          verifyUmfAnswer({
            fields: { ...refundAnswer, sign },
            publicKeyPem: platform.publicKey,
            message: 'refund',
            variant: 'ascii_utf8',
          }),
        ).toBe(false);
      }
    });
  });

  describe('notifications (k=v&, platform key)', () => {
    // The doc's own sign string (basicability/notify.md), shopNo empty and dropped.
    const notification = {
      amount: '1',
      deviceInfo: 'P2L01000000F9000289',
      deviceType: 'POS',
      funCode: 'PayResultNotify',
      merId: '41193697',
      operatorId: '301xxx6',
      orderDate: '20180329',
      partnerOrderId: '88800Dxxx192486',
      paySeq: '1755105xxx956105',
      payType: 'WX',
      reqDate: '20180329',
      reqTime: '172149',
      shopNo: '',
      tradeState: 'TRADE_SUCCESS',
    };

    it("reproduces the doc's sign string with the empty shopNo left out", () => {
      expect(umfNotificationSignString({ fields: notification, variant: 'ascii_utf8' })).toBe(
        'amount=1&deviceInfo=P2L01000000F9000289&deviceType=POS&funCode=PayResultNotify&merId=41193697' +
          '&operatorId=301xxx6&orderDate=20180329&partnerOrderId=88800Dxxx192486&paySeq=1755105xxx956105&payType=WX' +
          '&reqDate=20180329&reqTime=172149&tradeState=TRADE_SUCCESS',
      );
      expect(umfNotificationSignString({ fields: notification, variant: 'ascii_gbk_with_empty' })).toContain(
        '&reqTime=172149&shopNo=&tradeState=',
      );
    });

    it.each(UMF_NOTIFICATION_VARIANTS)('round-trips the %s variant', (variant) => {
      const sign = signUmfNotification({ fields: notification, privateKeyPem: platform.privateKey, variant });
      const signed = { ...notification, sign };
      expect(verifyUmfNotification({ fields: signed, publicKeyPem: platform.publicKey, variant })).toBe(true);
      expect(verifyUmfNotification({ fields: signed, publicKeyPem: stranger.publicKey, variant })).toBe(false);
      expect(
        verifyUmfNotification({ fields: { ...signed, amount: '2' }, publicKeyPem: platform.publicKey, variant }),
      ).toBe(false);
    });
  });

  describe('notification answers (|-joined values, merchant key)', () => {
    it("reproduces the doc's string: funCode|orderDate|partnerOrderId|reqDate|reqTime|retCode, empty retMsg dropped", () => {
      const ack = {
        funCode: 'PayResultNotify',
        reqDate: '20180316',
        reqTime: '163323',
        retCode: '0000',
        retMsg: '',
        partnerOrderId: '88800D****192486',
        orderDate: '20180316',
      };
      expect(umfNotificationAckSignString(ack)).toBe('PayResultNotify|20180316|88800D****192486|20180316|163323|0000');
      const sign = signUmfNotificationAck({ fields: ack, privateKeyPem: merchant.privateKey });
      expect(verifyUmfNotificationAck({ fields: { ...ack, sign }, publicKeyPem: merchant.publicKey })).toBe(true);
      expect(verifyUmfNotificationAck({ fields: { ...ack, sign }, publicKeyPem: stranger.publicKey })).toBe(false);
      expect(
        verifyUmfNotificationAck({ fields: { ...ack, retCode: '9999', sign }, publicKeyPem: merchant.publicKey }),
      ).toBe(false);
    });
  });

  it('refuses a private key where the platform certificate belongs, naming it and never showing it', () => {
    expect(() =>
      verifyUmfAnswer({
        fields: { sign: 'AAAA' },
        publicKeyPem: platform.privateKey,
        message: 'refund',
        variant: 'ascii_utf8',
      }),
    ).toThrow(/^UMF platform certificate is a private key/);
  });
});

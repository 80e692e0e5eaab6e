import { createHash } from 'node:crypto';

import { encodeLeshuaForm } from './leshua.codec';
import { encodeLeshuaNotifyUrl } from './leshua.mapper';
import {
  leshuaNotificationSignString,
  leshuaRequestSignString,
  leshuaResponseSignString,
  signLeshuaNotification,
  signLeshuaRequest,
  signLeshuaResponse,
  verifyLeshuaNotification,
  verifyLeshuaRequest,
  verifyLeshuaResponse,
} from './leshua.signer';

const TRADE_KEY = 'TESTTRADEKEY0123456789ABCDEF0123';
const NOTIFY_KEY = 'TESTNOTIFYKEY0123456789ABCDEF012';
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

describe('Leshua signer', () => {
  describe('request rule (PROTOCOLS.md test vectors)', () => {
    it('signs vector A (unified_refund, empty leshua_order_id skipped)', () => {
      const params = {
        service: 'unified_refund',
        merchant_id: '0000000018',
        third_order_id: 'T20250101000001',
        leshua_order_id: '',
        merchant_refund_id: 'R20250101000001',
        refund_amount: '100',
        nonce_str: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      };
      expect(leshuaRequestSignString(params, TRADE_KEY)).toBe(
        'merchant_id=0000000018&merchant_refund_id=R20250101000001&nonce_str=a1b2c3d4e5f60718293a4b5c6d7e8f90' +
          '&refund_amount=100&service=unified_refund&third_order_id=T20250101000001&key=TESTTRADEKEY0123456789ABCDEF0123',
      );
      expect(signLeshuaRequest(params, TRADE_KEY)).toBe('0E34E6DD2B567D3DAC65BB9814B6242F');
    });

    it('signs vector C (unified_query_refund)', () => {
      const params = {
        merchant_id: '0000000018',
        third_order_id: 'T20250101000001',
        merchant_refund_id: 'R20250101000001',
        nonce_str: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        service: 'unified_query_refund',
      };
      expect(leshuaRequestSignString(params, TRADE_KEY)).toBe(
        'merchant_id=0000000018&merchant_refund_id=R20250101000001&nonce_str=0f1e2d3c4b5a69788796a5b4c3d2e1f0' +
          '&service=unified_query_refund&third_order_id=T20250101000001&key=TESTTRADEKEY0123456789ABCDEF0123',
      );
      expect(signLeshuaRequest(params, TRADE_KEY)).toBe('9808ADEFB89223C29A776067F7C3F57E');
    });

    it('ignores an existing sign and null values', () => {
      const params = { b: '2', a: '1', sign: 'XYZ', c: null, d: undefined };
      expect(leshuaRequestSignString(params, 'K')).toBe('a=1&b=2&key=K');
    });

    it('verifies a request sign in either case and refuses a wrong one', () => {
      const params = { service: 'unified_refund', merchant_id: '1', nonce_str: 'n' };
      const sign = signLeshuaRequest(params, TRADE_KEY);
      expect(verifyLeshuaRequest({ ...params, sign }, TRADE_KEY)).toBe(true);
      expect(verifyLeshuaRequest({ ...params, sign: sign.toLowerCase() }, TRADE_KEY)).toBe(true);
      expect(verifyLeshuaRequest({ ...params, sign }, 'OTHER')).toBe(false);
      expect(verifyLeshuaRequest(params, TRADE_KEY)).toBe(false);
    });

    it('signs notify_url over the URL-encoded value, which the form encodes once more', () => {
      const notifyUrl = encodeLeshuaNotifyUrl('https://hub.example.com/notify/leshua?x=1', 'encoded');
      expect(notifyUrl).toBe('https%3A%2F%2Fhub.example.com%2Fnotify%2Fleshua%3Fx%3D1');
      const params = {
        service: 'unified_refund',
        merchant_id: '0000000018',
        notify_url: notifyUrl,
        nonce_str: 'n',
      };
      const signString = leshuaRequestSignString(params, TRADE_KEY);
      expect(signString).toBe(
        `merchant_id=0000000018&nonce_str=n&notify_url=${notifyUrl}&service=unified_refund&key=${TRADE_KEY}`,
      );
      expect(signLeshuaRequest(params, TRADE_KEY)).toBe(md5(signString).toUpperCase());
      expect(encodeLeshuaForm(params)).toContain(
        'notify_url=https%253A%252F%252Fhub.example.com%252Fnotify%252Fleshua%253Fx%253D1',
      );
    });
  });

  describe('response rule', () => {
    const answer = {
      resp_code: '0',
      resp_msg: '',
      result_code: '0',
      error_code: '',
      merchant_id: '0000000018',
      status: '10',
      nonce_str: 'abc',
    };

    it('doc variant keeps empty values and leaves out sign, leshua and resp_code', () => {
      expect(leshuaResponseSignString({ ...answer, sign: 'S', leshua: 'x' }, 'K', 'doc')).toBe(
        'error_code=&merchant_id=0000000018&nonce_str=abc&resp_msg=&result_code=0&status=10&key=K',
      );
    });

    it('skip-empty variant drops empty values and error_code', () => {
      expect(leshuaResponseSignString({ ...answer, error_code: 'E1', sign: 'S' }, 'K', 'skip-empty')).toBe(
        'merchant_id=0000000018&nonce_str=abc&result_code=0&status=10&key=K',
      );
    });

    it('verifies a doc-signed answer with an empty value, and says so', () => {
      const sign = signLeshuaResponse(answer, TRADE_KEY, 'doc');
      expect(sign).toBe(md5(leshuaResponseSignString(answer, TRADE_KEY, 'doc')).toUpperCase());
      expect(verifyLeshuaResponse({ ...answer, sign }, TRADE_KEY, 'auto')).toBe('doc');
      expect(verifyLeshuaResponse({ ...answer, sign: sign.toLowerCase() }, TRADE_KEY, 'doc')).toBe('doc');
      expect(verifyLeshuaResponse({ ...answer, sign }, TRADE_KEY, 'skip-empty')).toBeNull();
    });

    it('falls back to the skip-empty variant in auto mode only', () => {
      const sign = signLeshuaResponse(answer, TRADE_KEY, 'skip-empty');
      expect(verifyLeshuaResponse({ ...answer, sign }, TRADE_KEY, 'auto')).toBe('skip-empty');
      expect(verifyLeshuaResponse({ ...answer, sign }, TRADE_KEY, 'skip-empty')).toBe('skip-empty');
      expect(verifyLeshuaResponse({ ...answer, sign }, TRADE_KEY, 'doc')).toBeNull();
    });

    it('fails when a field was tampered with, a field was added, or the key is wrong', () => {
      const sign = signLeshuaResponse(answer, TRADE_KEY);
      expect(verifyLeshuaResponse({ ...answer, status: '11', sign }, TRADE_KEY, 'auto')).toBeNull();
      expect(verifyLeshuaResponse({ ...answer, refund_amount: '1', sign }, TRADE_KEY, 'auto')).toBeNull();
      expect(verifyLeshuaResponse({ ...answer, sign }, 'WRONG', 'auto')).toBeNull();
      expect(verifyLeshuaResponse(answer, TRADE_KEY, 'auto')).toBeNull();
    });

    it('does not cover resp_code, which the doc excludes', () => {
      const sign = signLeshuaResponse(answer, TRADE_KEY);
      expect(verifyLeshuaResponse({ ...answer, resp_code: '9', sign }, TRADE_KEY, 'doc')).toBe('doc');
    });
  });

  describe('notification rule', () => {
    const notification = {
      merchant_id: '0000000018',
      merchant_refund_id: 'R1',
      failure_reason: '',
      status: '11',
      error_code: '0',
      nonce_str: 'n',
    };

    it('keeps empty values, leaves out error_code and sign, and signs lowercase with the given key', () => {
      expect(leshuaNotificationSignString({ ...notification, sign: 'S' }, NOTIFY_KEY)).toBe(
        `failure_reason=&merchant_id=0000000018&merchant_refund_id=R1&nonce_str=n&status=11&key=${NOTIFY_KEY}`,
      );
      const sign = signLeshuaNotification(notification, NOTIFY_KEY);
      expect(sign).toBe(md5(leshuaNotificationSignString(notification, NOTIFY_KEY)));
      expect(sign).toMatch(/^[0-9a-f]{32}$/);
    });

    it('verifies with the notify key, in either case', () => {
      const sign = signLeshuaNotification(notification, NOTIFY_KEY);
      expect(verifyLeshuaNotification({ ...notification, sign }, NOTIFY_KEY)).toBe(true);
      expect(verifyLeshuaNotification({ ...notification, sign: sign.toUpperCase() }, NOTIFY_KEY)).toBe(true);
    });

    it('fails with the wrong key', () => {
      const sign = signLeshuaNotification(notification, NOTIFY_KEY);
      expect(verifyLeshuaNotification({ ...notification, sign }, TRADE_KEY)).toBe(false);
    });

    it('is not affected by error_code, and is by any signed field', () => {
      const sign = signLeshuaNotification(notification, NOTIFY_KEY);
      expect(verifyLeshuaNotification({ ...notification, error_code: 'E9', sign }, NOTIFY_KEY)).toBe(true);
      expect(verifyLeshuaNotification({ ...notification, failure_reason: 'x', sign }, NOTIFY_KEY)).toBe(false);
    });
  });
});

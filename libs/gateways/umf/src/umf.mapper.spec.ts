import { errorCodesOf } from '@refundhub/gateway-kit';
import { gatewayRefundQuery, gatewayRefundRequest } from '@refundhub/gateway-kit/testing';

import { mapUmfQueryAnswer, mapUmfRefundAnswer, toUmfQueryParams, toUmfRefundParams } from './umf.mapper';
import { UMF_DOCUMENTED_ERROR_CODES } from './umf.options';

const request = gatewayRefundRequest({
  merchantId: '30000101',
  refundNo: 'R1',
  amount: 100,
  // 2026-01-04 23:30 in China, still the 4th there while it is the 4th 15:30 in UTC.
  order: { merchantOrderNo: 'T1', payMethod: 'ALIPAY', paidAt: new Date('2026-01-04T15:30:00Z') },
  // 2026-01-06 00:05:09 China time, the 5th in UTC.
  now: new Date('2026-01-05T16:05:09Z'),
});
const context = {
  signatureValid: true,
  refundNo: 'R1',
  amount: 100,
  partnerOrderId: 'T1',
  orderAmount: 300,
  codes: errorCodesOf({}, UMF_DOCUMENTED_ERROR_CODES),
};
const accepted = { retCode: '0000', Memo: '退款受理成功', partnerOrderId: 'T1', amount: '100', sign: 'S' };
const queried = (status: string | undefined, extra: Record<string, string> = {}) => ({
  retCode: '0000',
  retMsg: '成功',
  amount: '300',
  ...(status === undefined ? {} : { status }),
  partnerOrderId: 'T1',
  refundPartnerOrderId: 'R1',
  subMerId: '30000101',
  sign: 'S',
  ...extra,
});

describe('UMF mapper', () => {
  describe('requests', () => {
    it('builds the refund from the table: fen as a string, China dates, apiVersion, no empty optionals', () => {
      expect(toUmfRefundParams(request, { proxyId: '0025' })).toEqual({
        subMerId: '30000101',
        payType: 'AL',
        proxyId: '0025',
        amount: '100',
        partnerOrderId: 'T1',
        refundPartnerOrderId: 'R1',
        orderDate: '20260104',
        apiVersion: '1.0',
        reqDate: '20260106',
        reqTime: '000509',
      });
    });

    it.each([
      ['WECHAT', 'WX'],
      ['ALIPAY', 'AL'],
      ['UNIONPAY', 'YL'],
      ['WX', 'WX'],
      ['al', 'AL'],
      ['YL', 'YL'],
    ])('maps pay method %s to payType %s', (payMethod, payType) => {
      const params = toUmfRefundParams(gatewayRefundRequest({ order: { payMethod } }), { proxyId: '0025' });
      expect(params.payType).toBe(payType);
    });

    it('sends notifyUrl, shopNo and operator only when given', () => {
      const withAll = gatewayRefundRequest({ gatewayOptions: { shopNo: ' S01 ', operator: 'op1' } });
      expect(toUmfRefundParams(withAll, { proxyId: '0025', notifyUrl: 'https://x.cn/notify/umf' })).toMatchObject({
        shopNo: 'S01',
        operator: 'op1',
        notifyUrl: 'https://x.cn/notify/umf',
      });
      const blank = toUmfRefundParams(gatewayRefundRequest({ gatewayOptions: { shopNo: ' ' } }), { proxyId: '0025' });
      expect(Object.keys(blank)).not.toEqual(expect.arrayContaining(['shopNo']));
    });

    it('queries with version (not apiVersion) by our refund number and the order', () => {
      expect(toUmfQueryParams(gatewayRefundQuery(request), { proxyId: '0025' })).toEqual({
        subMerId: '30000101',
        proxyId: '0025',
        reqDate: '20260106',
        reqTime: '000509',
        partnerOrderId: 'T1',
        refundPartnerOrderId: 'R1',
        orderDate: '20260104',
        version: '1.0',
      });
    });
  });

  describe('refund answers', () => {
    it('0000 means accepted: processing, never succeeded', () => {
      expect(mapUmfRefundAnswer(accepted, context)).toEqual({ kind: 'processing', rawStatus: '0000' });
      expect(mapUmfRefundAnswer({ retCode: '0000', sign: 'S' }, context)).toEqual({
        kind: 'processing',
        rawStatus: '0000',
      });
    });

    it('3333 验签失败 is the one documented refusal: failed with its code and message', () => {
      expect(mapUmfRefundAnswer({ retCode: '3333', Memo: '验签失败', sign: 'S' }, context)).toEqual({
        kind: 'failed',
        rawStatus: '3333',
        code: '3333',
        message: '验签失败',
      });
    });

    it('an operator-listed refusal code is failed too', () => {
      const codes = errorCodesOf({ failedErrorCodes: ['00060780'] }, UMF_DOCUMENTED_ERROR_CODES);
      expect(mapUmfRefundAnswer({ retCode: '00060780', retMsg: '余额不足', sign: 'S' }, { ...context, codes })).toEqual(
        { kind: 'failed', rawStatus: '00060780', code: '00060780', message: '余额不足' },
      );
    });

    it.each(['9999', '01000000', '02000000', '03000000'])(
      '%s is busy / result unknown: unknown gateway_busy',
      (code) => {
        expect(mapUmfRefundAnswer({ retCode: code, Memo: 'm', sign: 'S' }, context)).toMatchObject({
          kind: 'unknown',
          reason: 'gateway_busy',
          code,
        });
      },
    );

    it('an unlisted code is unknown (unrecognized), whatever the FAQ says of non-0000 codes', () => {
      expect(mapUmfRefundAnswer({ retCode: '00131040', Memo: '订单不存在', sign: 'S' }, context)).toEqual({
        kind: 'unknown',
        reason: 'unrecognized',
        detail: 'UMF code 00131040 is not listed as a refusal; the refund is queried',
        code: '00131040',
        message: '订单不存在',
        rawStatus: '00131040',
      });
      expect(mapUmfRefundAnswer({ Memo: 'no code', sign: 'S' }, context)).toMatchObject({
        kind: 'unknown',
        reason: 'unrecognized',
      });
    });

    it.each([
      ['missing', undefined, 'UMF answer is unsigned'],
      ['empty', '', 'UMF answer is unsigned'],
      ['wrong', 'AAAA', 'UMF answer is wrongly signed'],
    ])('a %s sign is bad_signature, checked before the code (a refusal included)', (_, sign, detail) => {
      const unsigned = { ...context, signatureValid: false };
      for (const answer of [accepted, { retCode: '3333', Memo: '验签失败' }]) {
        expect(mapUmfRefundAnswer({ ...answer, sign: sign as string }, unsigned)).toMatchObject({
          kind: 'unknown',
          reason: 'bad_signature',
          detail,
          code: answer.retCode,
        });
      }
    });

    it.each([
      ['another amount', { amount: '99' }, "answered amount '99'"],
      ['an unreadable amount', { amount: '1.00' }, "answered amount '1.00'"],
      ['another order', { partnerOrderId: 'T2' }, "order 'T2'"],
      ['another refund', { refundPartnerOrderId: 'R2' }, "refund 'R2'"],
    ])('a signed acceptance about %s is a mismatch', (_, extra, detail) => {
      expect(mapUmfRefundAnswer({ ...accepted, ...extra }, context)).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
        detail: expect.stringContaining(detail),
      });
    });
  });

  describe('query answers', () => {
    it('status 1 is succeeded; its amount may be the order total (documented) or the refund amount', () => {
      expect(mapUmfQueryAnswer(queried('1'), context)).toEqual({ kind: 'succeeded', rawStatus: '1' });
      expect(mapUmfQueryAnswer(queried('1', { amount: '100' }), context)).toEqual({
        kind: 'succeeded',
        rawStatus: '1',
      });
      expect(mapUmfQueryAnswer(queried('1', { amount: '' }), context)).toEqual({ kind: 'succeeded', rawStatus: '1' });
    });

    it.each(['301', '99', '3.00'])(
      'an amount (%s) that is neither the order total nor the refund is a mismatch',
      (amount) => {
        expect(mapUmfQueryAnswer(queried('1', { amount }), context)).toMatchObject({
          kind: 'unknown',
          reason: 'mismatch',
          detail: `UMF answered amount '${amount}' for a refund of 100 fen of an order of 300 fen`,
        });
      },
    );

    it('status 2 is failed', () => {
      expect(mapUmfQueryAnswer(queried('2', { retMsg: '原交易已退款' }), context)).toEqual({
        kind: 'failed',
        rawStatus: '2',
        code: 'UMF_REFUND_FAILED',
        message: '原交易已退款',
      });
      expect(mapUmfQueryAnswer(queried('2'), context)).toMatchObject({ message: '联动优势退款失败 (status 2)' });
    });

    it.each(['0', '3', '9', undefined])('any other status (%s) is 受理中: processing', (status) => {
      expect(mapUmfQueryAnswer(queried(status), context)).toEqual({
        kind: 'processing',
        rawStatus: status ?? '(none)',
      });
    });

    it('a not-found code is not_found only when listed (UMF documents none)', () => {
      expect(mapUmfQueryAnswer({ retCode: '00131040', retMsg: '订单不存在', sign: 'S' }, context)).toMatchObject({
        kind: 'unknown',
        reason: 'unrecognized',
      });
      const codes = errorCodesOf({ notFoundErrorCodes: ['00131040'] }, UMF_DOCUMENTED_ERROR_CODES);
      expect(
        mapUmfQueryAnswer({ retCode: '00131040', retMsg: '订单不存在', sign: 'S' }, { ...context, codes }),
      ).toEqual({ kind: 'not_found', code: '00131040', message: '订单不存在' });
    });

    it('a refused query (3333) never fails the refund: unknown', () => {
      expect(mapUmfQueryAnswer({ retCode: '3333', retMsg: '验签失败', sign: 'S' }, context)).toMatchObject({
        kind: 'unknown',
        reason: 'unrecognized',
        code: '3333',
      });
      expect(mapUmfQueryAnswer({ retCode: '9999', retMsg: '系统异常', sign: 'S' }, context)).toMatchObject({
        kind: 'unknown',
        reason: 'gateway_busy',
      });
    });

    it('an unsigned or wrongly signed query answer is bad_signature, even a success', () => {
      expect(mapUmfQueryAnswer({ ...queried('1'), sign: '' }, { ...context, signatureValid: false })).toMatchObject({
        kind: 'unknown',
        reason: 'bad_signature',
      });
    });

    it('a query answer about another refund or order is a mismatch', () => {
      expect(mapUmfQueryAnswer(queried('1', { refundPartnerOrderId: 'R2' }), context)).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
      });
      expect(mapUmfQueryAnswer(queried('1', { partnerOrderId: 'T9' }), context)).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
      });
    });
  });
});

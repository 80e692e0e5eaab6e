import { FakeClock, gatewayRefundQuery, gatewayRefundRequest } from '@refundhub/gateway-kit/testing';

import { stringifyBaofooContent } from './baofoo.codec';
import {
  mapBaofooNotificationData,
  mapBaofooQueryAnswer,
  mapBaofooRefundAnswer,
  toBaofooQueryBizContent,
  toBaofooRefundBizContent,
  type BaofooAnswerContext,
} from './baofoo.mapper';
import { BAOFOO_DOCUMENTED_ERROR_CODES, BaofooSettings, type BaofooOptions } from './baofoo.options';
import type { BaofooAnswerEnvelope } from './baofoo.types';

const settings = (options: Partial<BaofooOptions> = {}) => new BaofooSettings({ baseUrl: 'https://x', ...options });
const context = (overrides: Partial<BaofooAnswerContext> = {}): BaofooAnswerContext => ({
  signatureValid: true,
  refundNo: 'R1',
  amount: 100,
  codes: settings().errorCodes,
  ...overrides,
});
/** A signed-looking answer envelope around `data` (the signature itself is the gateway's to check). */
const answer = (data: object | string, extra: Partial<BaofooAnswerEnvelope> = {}): BaofooAnswerEnvelope => ({
  returnCode: 'SUCCESS',
  returnMsg: '成功',
  merId: '100000',
  terId: '200000',
  signStr: 'ab',
  dataContent: typeof data === 'string' ? data : JSON.stringify(data),
  ...extra,
});
const accepted = { outTradeNo: 'R1', tradeNo: 'BFR1', refundAmt: 100, totalAmt: 100, resultCode: 'SUCCESS' };
const refund = (data: object, ctx: Partial<BaofooAnswerContext> = {}) =>
  mapBaofooRefundAnswer(answer({ ...accepted, ...data }), context(ctx));
const queried = { outTradeNo: 'R1', tradeNo: 'BFR1', resultCode: 'SUCCESS' };
const query = (data: object, ctx: Partial<BaofooAnswerContext> = {}) =>
  mapBaofooQueryAnswer(answer({ ...queried, ...data }), context(ctx));

describe('Baofoo mapper', () => {
  describe('order_refund bizContent', () => {
    const request = gatewayRefundRequest({
      merchantId: '100000',
      refundNo: '20210315155013',
      amount: 100,
      reason: '用户取消订单',
      gatewayNotifyUrl: 'https://www.example.com/baofoo/refund-notify',
      now: new Date('2021-03-15T07:50:12Z'),
      order: { merchantOrderNo: '20210315155012', gatewayOrderNo: null, totalAmount: 300 },
    });

    it('reproduces the documented vector string: amounts as JSON integers, txnTime in China time', () => {
      expect(
        stringifyBaofooContent(toBaofooRefundBizContent(request, { terId: '200000', txnTime: 'submission' })),
      ).toBe(
        '{"merId":"100000","terId":"200000","originOutTradeNo":"20210315155012","outTradeNo":"20210315155013",' +
          '"notifyUrl":"https://www.example.com/baofoo/refund-notify","refundAmt":100,"totalAmt":100,' +
          '"txnTime":"20210315155012","refundReason":"用户取消订单"}',
      );
    });

    it('names the order by originTradeNo alone when the gateway order number is known', () => {
      const content = toBaofooRefundBizContent(
        { ...request, order: { ...request.order, gatewayOrderNo: 'BF123' } },
        { terId: 'T', txnTime: 'submission' },
      );
      expect(content).toMatchObject({ originTradeNo: 'BF123' });
      expect(content).not.toHaveProperty('originOutTradeNo');
    });

    it('leaves out a notifyUrl longer than 128 characters, and none at all', () => {
      const long = `https://example.com/${'n'.repeat(109)}`;
      expect(long).toHaveLength(129);
      const terms = { terId: 'T', txnTime: 'submission' } as const;
      expect(toBaofooRefundBizContent({ ...request, gatewayNotifyUrl: long }, terms)).not.toHaveProperty('notifyUrl');
      expect(toBaofooRefundBizContent({ ...request, gatewayNotifyUrl: null }, terms)).not.toHaveProperty('notifyUrl');
      const exact = long.slice(0, 128);
      expect(toBaofooRefundBizContent({ ...request, gatewayNotifyUrl: exact }, terms)).toMatchObject({
        notifyUrl: exact,
      });
    });

    it('sends sharing, marketing and advance parts from gatewayOptions; totalAmt = refundAmt + mktAmt', () => {
      const content = toBaofooRefundBizContent(
        {
          ...request,
          gatewayOptions: {
            sharingRefundInfo: [
              { sharingMerId: '100001', sharingAmt: 80 },
              { sharingMerId: '100002', sharingAmt: 20 },
            ],
            mktRefundInfo: { mktMerId: '100000', mktAmt: 30 },
            advanceAmt: 10,
          },
        },
        { terId: 'T', txnTime: 'submission' },
      );
      expect(content).toMatchObject({
        refundAmt: 100,
        totalAmt: 130,
        sharingRefundInfo: [
          { sharingMerId: '100001', sharingAmt: 80 },
          { sharingMerId: '100002', sharingAmt: 20 },
        ],
        mktRefundInfo: { mktMerId: '100000', mktAmt: 30 },
        advanceAmt: 10,
      });
    });

    describe('txnTime, whatever the machine time zone', () => {
      const zone = process.env.TZ;
      beforeAll(() => {
        process.env.TZ = 'America/Los_Angeles';
      });
      afterAll(() => {
        process.env.TZ = zone;
      });

      it('is the time of this submission by default, from the core clock', () => {
        const clock = new FakeClock(new Date('2026-01-05T16:30:00Z'));
        const first = gatewayRefundRequest({ now: clock.now(), order: { paidAt: new Date('2026-01-01T02:00:00Z') } });
        expect(toBaofooRefundBizContent(first, { terId: 'T', txnTime: 'submission' }).txnTime).toBe('20260106003000');
        clock.advance(90_000);
        const again = { ...first, now: clock.now(), attempt: 2 };
        expect(toBaofooRefundBizContent(again, { terId: 'T', txnTime: 'submission' }).txnTime).toBe('20260106003130');
      });

      it('is the order paid time with txnTime: paid_at', () => {
        const clock = new FakeClock(new Date('2026-01-05T16:30:00Z'));
        const paid = gatewayRefundRequest({ now: clock.now(), order: { paidAt: new Date('2025-12-31T16:00:01Z') } });
        expect(toBaofooRefundBizContent(paid, { terId: 'T', txnTime: 'paid_at' }).txnTime).toBe('20260101000001');
      });
    });
  });

  describe('refund_query bizContent', () => {
    it('asks by our outTradeNo always, and by tradeNo once known', () => {
      const request = gatewayRefundRequest({ merchantId: '100000', refundNo: 'R1' });
      expect(toBaofooQueryBizContent(gatewayRefundQuery(request), { terId: 'T' })).toEqual({
        merId: '100000',
        terId: 'T',
        outTradeNo: 'R1',
      });
      expect(toBaofooQueryBizContent(gatewayRefundQuery(request, { gatewayRefundNo: 'BFR1' }), { terId: 'T' })).toEqual(
        { merId: '100000', terId: 'T', outTradeNo: 'R1', tradeNo: 'BFR1' },
      );
    });
  });

  describe('what tells nothing about the refund', () => {
    it('returnCode FAIL: communication refused, unsigned', () => {
      expect(
        mapBaofooRefundAnswer({ returnCode: 'FAIL', returnMsg: '验签失败' }, context({ signatureValid: false })),
      ).toMatchObject({ kind: 'unknown', reason: 'unrecognized', code: 'FAIL', message: '验签失败' });
    });

    it('returnCode SUCCESS without dataContent', () => {
      expect(mapBaofooRefundAnswer({ returnCode: 'SUCCESS' }, context({ signatureValid: false }))).toMatchObject({
        kind: 'unknown',
        reason: 'malformed',
      });
      expect(mapBaofooQueryAnswer(answer('', { signStr: 'ab' }), context())).toMatchObject({ reason: 'malformed' });
    });

    it('a wrong, missing or empty signStr, even on a refusal', () => {
      const refusal = answer({ resultCode: 'FAIL', errCode: 'REFUND_AMT_EXCEEDS' });
      expect(mapBaofooRefundAnswer(refusal, context({ signatureValid: false }))).toMatchObject({
        kind: 'unknown',
        reason: 'bad_signature',
        detail: 'Baofoo answer is wrongly signed',
      });
      for (const signStr of [undefined, '']) {
        expect(mapBaofooRefundAnswer({ ...refusal, signStr }, context({ signatureValid: false }))).toMatchObject({
          reason: 'bad_signature',
          detail: 'Baofoo answer is unsigned',
        });
      }
    });

    it('a signed dataContent that is not a JSON object', () => {
      expect(mapBaofooRefundAnswer(answer('not json'), context())).toMatchObject({ reason: 'malformed' });
      expect(mapBaofooQueryAnswer(answer('[1]'), context())).toMatchObject({ reason: 'malformed' });
      expect(mapBaofooQueryAnswer(answer({ ...queried, refundState: { x: 1 } }), context())).toMatchObject({
        reason: 'malformed',
      });
    });
  });

  describe('order_refund answers', () => {
    it('REFUND: accepted, with Baofoo tradeNo', () => {
      expect(refund({ refundState: 'REFUND' })).toEqual({
        kind: 'processing',
        rawStatus: 'REFUND',
        gatewayRefundNo: 'BFR1',
      });
    });

    it('resultCode SUCCESS without a refundState: accepted', () => {
      expect(refund({})).toEqual({ kind: 'processing', rawStatus: 'SUCCESS', gatewayRefundNo: 'BFR1' });
    });

    it('SUCCESS: succeeded', () => {
      expect(refund({ refundState: 'SUCCESS' })).toEqual({
        kind: 'succeeded',
        rawStatus: 'SUCCESS',
        gatewayRefundNo: 'BFR1',
      });
    });

    it('REFUND_ERROR: failed, with the code that explains it when there is one', () => {
      expect(refund({ refundState: 'REFUND_ERROR' })).toMatchObject({ kind: 'failed', code: 'REFUND_ERROR' });
      expect(refund({ refundState: 'REFUND_ERROR', errCode: 'CHANNEL_RETURN_ERR', errMsg: '余额不足' })).toMatchObject({
        kind: 'failed',
        code: 'CHANNEL_RETURN_ERR',
        message: '余额不足',
        rawStatus: 'REFUND_ERROR',
      });
    });

    it('ABNORMAL: unknown, queried', () => {
      expect(refund({ refundState: 'ABNORMAL' })).toMatchObject({
        kind: 'unknown',
        reason: 'gateway_busy',
        rawStatus: 'ABNORMAL',
      });
    });

    it('an unlisted refundState: unknown', () => {
      expect(refund({ refundState: 'CLOSED' })).toMatchObject({ kind: 'unknown', reason: 'unrecognized' });
    });

    it('resultCode SUCCESS with a failing errCode is not a success', () => {
      expect(refund({ errCode: 'ORDER_NOT_EXIST', refundState: 'ABNORMAL' })).toMatchObject({
        kind: 'failed',
        code: 'ORDER_NOT_EXIST',
        rawStatus: 'ABNORMAL',
      });
      expect(refund({ errCode: 'CHANNEL_RETURN_ERR', refundState: 'SUCCESS' })).toMatchObject({
        kind: 'unknown',
        reason: 'unrecognized',
        code: 'CHANNEL_RETURN_ERR',
      });
      expect(refund({ errCode: 'SUCCESS', refundState: 'SUCCESS' })).toMatchObject({ kind: 'succeeded' });
    });

    it.each(BAOFOO_DOCUMENTED_ERROR_CODES.failedErrorCodes)('%s: a definite refusal, failed', (errCode) => {
      expect(refund({ resultCode: 'FAIL', errCode, errMsg: '拒绝' })).toEqual({
        kind: 'failed',
        code: errCode,
        message: '拒绝',
        rawStatus: 'FAIL',
      });
    });

    it.each(['SYSTEM_BUSY', 'TRADE_UNCONFIRMED'])('%s: busy, unknown and queried, never failed', (errCode) => {
      expect(refund({ resultCode: 'FAIL', errCode })).toMatchObject({
        kind: 'unknown',
        reason: 'gateway_busy',
        code: errCode,
      });
    });

    it('NOT_SUPPORT_CONCURRENT: deferred, submitted again later with the same number', () => {
      expect(refund({ resultCode: 'FAIL', errCode: 'NOT_SUPPORT_CONCURRENT', errMsg: '请分批次执行' })).toEqual({
        kind: 'deferred',
        code: 'NOT_SUPPORT_CONCURRENT',
        message: '请分批次执行',
        rawStatus: 'FAIL',
      });
    });

    it.each(['ORDER_EXIST', 'REPEATED_REQUEST'])('%s on a resubmission: already created, queried', (errCode) => {
      expect(refund({ resultCode: 'FAIL', errCode })).toMatchObject({
        kind: 'unknown',
        reason: 'gateway_busy',
        code: errCode,
      });
      // Even when an operator lists it as a refusal.
      const codes = settings({ failedErrorCodes: [errCode] }).errorCodes;
      expect(refund({ resultCode: 'FAIL', errCode }, { codes })).toMatchObject({ kind: 'unknown' });
    });

    it.each(['ORDER_CREATED_FAIL', 'CHANNEL_RETURN_ERR', 'PAY_CODE_ERROR', 'SOMETHING_NEW'])(
      '%s, not listed: unknown',
      (errCode) => {
        expect(refund({ resultCode: 'FAIL', errCode })).toMatchObject({
          kind: 'unknown',
          reason: 'unrecognized',
          code: errCode,
        });
      },
    );

    it('resultCode FAIL without errCode, or no resultCode at all: unknown', () => {
      expect(refund({ resultCode: 'FAIL' })).toMatchObject({ kind: 'unknown', reason: 'unrecognized', code: 'FAIL' });
      expect(refund({ resultCode: undefined, refundState: 'SUCCESS' })).toMatchObject({ kind: 'unknown' });
    });

    it("adds the operator's codes to the documented ones", () => {
      const codes = settings({
        failedErrorCodes: ['X_REFUSED'],
        busyErrorCodes: ['X_BUSY'],
        deferredErrorCodes: ['X_LATER'],
      }).errorCodes;
      expect(refund({ resultCode: 'FAIL', errCode: 'X_REFUSED' }, { codes })).toMatchObject({ kind: 'failed' });
      expect(refund({ resultCode: 'FAIL', errCode: 'X_BUSY' }, { codes })).toMatchObject({ reason: 'gateway_busy' });
      expect(refund({ resultCode: 'FAIL', errCode: 'X_LATER' }, { codes })).toMatchObject({ kind: 'deferred' });
      expect(refund({ resultCode: 'FAIL', errCode: 'NOT_SUPPORT_CONCURRENT' }, { codes })).toMatchObject({
        kind: 'deferred',
      });
    });

    it('an answer about another refund or amount is a mismatch', () => {
      expect(refund({ outTradeNo: 'R2', refundState: 'SUCCESS' })).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
      });
      expect(refund({ refundAmt: 99, refundState: 'SUCCESS' })).toMatchObject({ reason: 'mismatch' });
      expect(refund({ refundAmt: '1.00', refundState: 'SUCCESS' })).toMatchObject({ reason: 'mismatch' });
    });

    it('reads numbers where strings are documented, and strings where numbers are', () => {
      const numeric = mapBaofooRefundAnswer(
        answer({ ...accepted, outTradeNo: 123, tradeNo: 456, refundAmt: '100', refundState: 'REFUND' }),
        context({ refundNo: '123' }),
      );
      expect(numeric).toEqual({ kind: 'processing', rawStatus: 'REFUND', gatewayRefundNo: '456' });
    });
  });

  describe('refund_query answers', () => {
    it('SUCCESS: succeeded, finishTime read in China time, succAmt checked', () => {
      expect(query({ refundState: 'SUCCESS', succAmt: 100, finishTime: '20260105120000' })).toEqual({
        kind: 'succeeded',
        rawStatus: 'SUCCESS',
        gatewayRefundNo: 'BFR1',
        finishedAt: new Date('2026-01-05T04:00:00Z'),
      });
      expect(query({ refundState: 'SUCCESS', succAmt: '100' })).toMatchObject({ kind: 'succeeded' });
      expect(query({ refundState: 'SUCCESS', succAmt: 50 })).toMatchObject({ kind: 'unknown', reason: 'mismatch' });
      expect(query({ refundState: 'SUCCESS', outTradeNo: 'R2' })).toMatchObject({ reason: 'mismatch' });
    });

    it('REFUND: processing; REFUND_ERROR: failed; ABNORMAL: unknown (also a refund never received)', () => {
      expect(query({ refundState: 'REFUND' })).toEqual({
        kind: 'processing',
        rawStatus: 'REFUND',
        gatewayRefundNo: 'BFR1',
      });
      expect(query({ refundState: 'REFUND_ERROR' })).toMatchObject({ kind: 'failed', code: 'REFUND_ERROR' });
      expect(query({ refundState: 'ABNORMAL', tradeNo: undefined })).toMatchObject({
        kind: 'unknown',
        reason: 'gateway_busy',
        rawStatus: 'ABNORMAL',
      });
    });

    it('ORDER_NOT_EXIST: the refund does not exist', () => {
      expect(query({ resultCode: 'FAIL', errCode: 'ORDER_NOT_EXIST', errMsg: '订单不存在' })).toEqual({
        kind: 'not_found',
        code: 'ORDER_NOT_EXIST',
        message: '订单不存在',
      });
    });

    it('a refused query says nothing about the refund: refusal codes stay unknown', () => {
      expect(query({ resultCode: 'FAIL', errCode: 'INVALID_PARAMETER' })).toMatchObject({
        kind: 'unknown',
        reason: 'unrecognized',
        code: 'INVALID_PARAMETER',
      });
      expect(query({ resultCode: 'FAIL', errCode: 'NOT_SUPPORT_CONCURRENT' })).toMatchObject({
        kind: 'unknown',
        reason: 'gateway_busy',
      });
      expect(query({ resultCode: 'FAIL', errCode: 'SYSTEM_BUSY' })).toMatchObject({ reason: 'gateway_busy' });
      expect(query({ resultCode: 'FAIL', errCode: 'SOMETHING_NEW' })).toMatchObject({ reason: 'unrecognized' });
    });

    it('a listed refusal with REFUND_ERROR is a failed refund', () => {
      expect(query({ refundState: 'REFUND_ERROR', errCode: 'REFUND_AMT_EXCEEDS' })).toMatchObject({
        kind: 'failed',
        code: 'REFUND_AMT_EXCEEDS',
      });
    });

    it('an answer without refundState: unknown', () => {
      expect(query({})).toMatchObject({ kind: 'unknown', reason: 'unrecognized' });
    });
  });

  describe('notification dataContent', () => {
    const codes = settings().errorCodes;

    it('follows refundState when there is one', () => {
      expect(mapBaofooNotificationData({ resultCode: 'SUCCESS', refundState: 'REFUND_ERROR' }, codes)).toMatchObject({
        kind: 'failed',
      });
      expect(mapBaofooNotificationData({ resultCode: 'SUCCESS', refundState: 'ABNORMAL' }, codes)).toMatchObject({
        kind: 'unknown',
      });
    });

    it('without refundState, resultCode decides: SUCCESS succeeded, FAIL by its code', () => {
      expect(
        mapBaofooNotificationData({ resultCode: 'SUCCESS', tradeNo: 'BFR1', finishTime: '20260105120000' }, codes),
      ).toEqual({
        kind: 'succeeded',
        rawStatus: 'SUCCESS',
        gatewayRefundNo: 'BFR1',
        finishedAt: new Date('2026-01-05T04:00:00Z'),
      });
      expect(mapBaofooNotificationData({ resultCode: 'FAIL', errCode: 'REFUND_AMT_EXCEEDS' }, codes)).toMatchObject({
        kind: 'failed',
        code: 'REFUND_AMT_EXCEEDS',
      });
      expect(mapBaofooNotificationData({ resultCode: 'FAIL' }, codes)).toMatchObject({ kind: 'unknown' });
      expect(mapBaofooNotificationData({ resultCode: 'FAIL', errCode: 'SYSTEM_BUSY' }, codes)).toMatchObject({
        kind: 'unknown',
        reason: 'gateway_busy',
      });
    });
  });
});

import { errorCodesOf } from '@refundhub/gateway-kit';
import { gatewayRefundQuery, gatewayRefundRequest } from '@refundhub/gateway-kit/testing';

import {
  mapChaoyingQueryAnswer,
  mapChaoyingRefundAnswer,
  toChaoyingQueryParams,
  toChaoyingRefundParams,
} from './chaoying.mapper';
import { CHAOYING_DOCUMENTED_ERROR_CODES } from './chaoying.options';

const request = gatewayRefundRequest({
  merchantId: '00000001',
  refundNo: 'R1',
  amount: 100,
  order: { merchantOrderNo: 'T1', gatewayOrderNo: null, totalAmount: 300, payMethod: 'ALIPAY' },
});
const context = {
  signatureValid: true,
  refundNo: 'R1',
  amount: 100,
  codes: errorCodesOf({}, CHAOYING_DOCUMENTED_ERROR_CODES),
};
const accepted = {
  state: 'SUCCESS',
  code: '10000',
  msg: 'SUCCESS',
  trade_state: 'SUCCESS',
  mch_id: '00000001',
  out_trade_no: 'T1',
  out_refund_no: 'R1',
  refund_id: 'RID1',
  refund_fee: '100',
  sign: 'S',
};
const listed = (entries: object[], extra: Record<string, string> = {}) => ({
  state: 'SUCCESS',
  code: '10000',
  msg: 'SUCCESS',
  trade_state: 'SUCCESS',
  refund_count: String(entries.length),
  refund_list: JSON.stringify(entries),
  sign: 'S',
  ...extra,
});
const ours = (refund_status: string, extra: object = {}) => ({
  out_refund_no: 'R1',
  refund_id: 'RID1',
  refund_fee: '100',
  refund_status,
  ...extra,
});

describe('ChaoYing mapper', () => {
  describe('requests', () => {
    it('sends exactly one order reference: out_trade_no when there is one, else transaction_id', () => {
      expect(toChaoyingRefundParams(request, { agentId: null, version: '1.0', pid: null })).toEqual({
        method: 'refund',
        version: '1.0',
        paytype: 'ALIPAY',
        mch_id: '00000001',
        out_trade_no: 'T1',
        out_refund_no: 'R1',
        total_fee: '300',
        refund_fee: '100',
        op_user_id: '00000001',
      });
      const byGatewayNo = gatewayRefundRequest({ order: { merchantOrderNo: null, gatewayOrderNo: 'TX9' } });
      const params = toChaoyingRefundParams(byGatewayNo, { agentId: 'A1', version: '1.0', pid: 'yunpos' });
      expect(params).toMatchObject({ agent_id: 'A1', pid: 'yunpos', transaction_id: 'TX9' });
      expect(params).not.toHaveProperty('out_trade_no');
    });

    it('queries by out_refund_no, with paytype and mch_id, and refund_id once known', () => {
      const query = toChaoyingQueryParams(gatewayRefundQuery(request, { gatewayRefundNo: 'RID1' }), {
        agentId: null,
        version: '1.0',
        pid: null,
      });
      expect(query).toEqual({
        method: 'refundquery',
        version: '1.0',
        paytype: 'ALIPAY',
        mch_id: '00000001',
        out_refund_no: 'R1',
        refund_id: 'RID1',
      });
    });
  });

  describe('refund answers', () => {
    it('state and trade_state SUCCESS: the application was accepted, so processing (never succeeded)', () => {
      expect(mapChaoyingRefundAnswer(accepted, context)).toEqual({
        kind: 'processing',
        rawStatus: 'SUCCESS',
        gatewayRefundNo: 'RID1',
      });
    });

    it('trade_state PROCESSING is processing', () => {
      expect(mapChaoyingRefundAnswer({ ...accepted, trade_state: 'PROCESSING' }, context)).toMatchObject({
        kind: 'processing',
      });
    });

    it.each([
      ['20002', '签名错误'],
      ['20004', '参数错误'],
      ['20005', '商户错误'],
      ['20007', '订单不存在'],
      ['20012', '代理商错误'],
      ['20013', '商户交易配置错误'],
      ['10003', '未支付'],
      ['10004', '已关闭'],
      ['10005', '已撤销'],
    ])('a documented refusal %s is failed with its code and message', (code, msg) => {
      expect(mapChaoyingRefundAnswer({ state: 'SUCCESS', code, msg, trade_state: 'FAIL', sign: 'S' }, context)).toEqual(
        {
          kind: 'failed',
          rawStatus: 'FAIL',
          code,
          message: msg,
        },
      );
      expect(mapChaoyingRefundAnswer({ state: 'FAIL', code, msg, sign: 'S' }, context)).toMatchObject({
        kind: 'failed',
        code,
      });
    });

    it('VER (版本过低) is failed: the gateway refused the protocol version', () => {
      expect(
        mapChaoyingRefundAnswer({ state: 'VER', code: '20004', msg: '版本过低', sign: 'S' }, context),
      ).toMatchObject({
        kind: 'failed',
        code: 'VER',
      });
    });

    it.each([
      ['20006', '系统错误', 'unrecognized'],
      ['20008', '退款错误', 'unrecognized'],
      ['20011', '交易撤销错误', 'unrecognized'],
      ['99999', '?', 'unrecognized'],
      ['30001', '网络异常', 'gateway_busy'],
    ])('code %s (%s) is unknown (%s), never failed', (code, msg, reason) => {
      expect(
        mapChaoyingRefundAnswer({ state: 'SUCCESS', code, msg, trade_state: 'FAIL', sign: 'S' }, context),
      ).toMatchObject({
        kind: 'unknown',
        reason,
        code,
        message: msg,
      });
    });

    it('NEED_QUERY is unknown (gateway_busy), whatever the code', () => {
      expect(mapChaoyingRefundAnswer({ ...accepted, trade_state: 'NEED_QUERY', code: '20004' }, context)).toMatchObject(
        {
          kind: 'unknown',
          reason: 'gateway_busy',
        },
      );
    });

    it('an operator-listed code is failed', () => {
      const codes = errorCodesOf({ failedErrorCodes: ['20008'] }, CHAOYING_DOCUMENTED_ERROR_CODES);
      expect(
        mapChaoyingRefundAnswer(
          { state: 'SUCCESS', code: '20008', trade_state: 'FAIL', sign: 'S' },
          { ...context, codes },
        ),
      ).toMatchObject({
        kind: 'failed',
        code: '20008',
      });
    });

    it('an unsigned or wrongly signed answer is unknown (bad_signature), refusals and acceptances alike', () => {
      const unsigned = { state: 'FAIL', code: '20004', msg: '参数错误' };
      expect(mapChaoyingRefundAnswer(unsigned, { ...context, signatureValid: false })).toMatchObject({
        kind: 'unknown',
        reason: 'bad_signature',
        detail: 'ChaoYing answer is unsigned',
        code: '20004',
      });
      expect(mapChaoyingRefundAnswer(accepted, { ...context, signatureValid: false })).toMatchObject({
        kind: 'unknown',
        reason: 'bad_signature',
        detail: 'ChaoYing answer is wrongly signed',
      });
    });

    it('a signed answer about another refund or another amount is unknown (mismatch)', () => {
      expect(mapChaoyingRefundAnswer({ ...accepted, out_refund_no: 'R2' }, context)).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
      });
      expect(mapChaoyingRefundAnswer({ ...accepted, refund_fee: '99' }, context)).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
      });
    });

    it('no state or code at all is unknown, never failed', () => {
      expect(mapChaoyingRefundAnswer({ sign: 'S' }, context)).toMatchObject({
        kind: 'unknown',
        reason: 'unrecognized',
      });
    });
  });

  describe('refundquery answers', () => {
    it.each([
      [
        'SUCCESS',
        { kind: 'succeeded', finishedAt: new Date('2019-05-24T03:11:33Z') },
        { refund_time: '2019-05-24 11:11:33' },
      ],
      [
        'SUCCESS',
        { kind: 'succeeded', finishedAt: new Date('2017-06-21T02:00:00Z') },
        { refund_time: '20170621100000' },
      ],
      ['FAIL', { kind: 'failed', code: 'CHAOYING_REFUND_FAIL' }, {}],
      ['PROCESSING', { kind: 'processing' }, {}],
      ['NOTSURE', { kind: 'processing', rawStatus: 'NOTSURE' }, {}],
      ['CHANGE', { kind: 'needs_attention', reason: 'gateway_change', rawStatus: 'CHANGE' }, {}],
      ['MYSTERY', { kind: 'unknown', reason: 'unrecognized', rawStatus: 'MYSTERY' }, {}],
    ])('refund_status %s maps to %o', (status, outcome, extra) => {
      expect(mapChaoyingQueryAnswer(listed([ours(status, extra)]), context)).toMatchObject(outcome);
    });

    it('finds our refund among several partial refunds of the order by out_refund_no only', () => {
      const answer = listed([
        { out_refund_no: 'R0', refund_fee: '100', refund_status: 'FAIL' },
        ours('SUCCESS'),
        { out_refund_no: 'R2', refund_fee: '100', refund_status: 'PROCESSING' },
      ]);
      expect(mapChaoyingQueryAnswer(answer, context)).toMatchObject({ kind: 'succeeded' });
    });

    it('a list without our refund is unknown (mismatch), never not_found', () => {
      expect(
        mapChaoyingQueryAnswer(listed([{ out_refund_no: 'R9', refund_fee: '100', refund_status: 'SUCCESS' }]), context),
      ).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
      });
      expect(
        mapChaoyingQueryAnswer(
          listed([{ out_refund_no: 'R9', refund_status: 'SUCCESS' }], { refund_count: '25' }),
          context,
        ),
      ).toMatchObject({ kind: 'unknown', detail: expect.stringContaining('25 refunds, 1 listed') });
    });

    it('our refund with another amount is unknown (mismatch)', () => {
      expect(mapChaoyingQueryAnswer(listed([ours('SUCCESS', { refund_fee: '101' })]), context)).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
      });
    });

    it('20007 (订单不存在) is not_found; any other refused query is unknown, never failed', () => {
      expect(
        mapChaoyingQueryAnswer(
          { state: 'SUCCESS', code: '20007', msg: '订单不存在', trade_state: 'FAIL', sign: 'S' },
          context,
        ),
      ).toEqual({
        kind: 'not_found',
        code: '20007',
        message: '订单不存在',
      });
      expect(
        mapChaoyingQueryAnswer(
          { state: 'SUCCESS', code: '20004', msg: '参数错误', trade_state: 'FAIL', sign: 'S' },
          context,
        ),
      ).toMatchObject({
        kind: 'unknown',
        code: '20004',
      });
      expect(
        mapChaoyingQueryAnswer({ state: 'SUCCESS', code: '20010', trade_state: 'FAIL', sign: 'S' }, context),
      ).toMatchObject({ kind: 'unknown' });
    });

    it('an unreadable refund_list is unknown (malformed); a bad signature is unknown (bad_signature)', () => {
      expect(mapChaoyingQueryAnswer(listed([], { refund_list: '[{' }), context)).toMatchObject({
        kind: 'unknown',
        reason: 'malformed',
      });
      expect(mapChaoyingQueryAnswer(listed([], { refund_list: '{"a":1}' }), context)).toMatchObject({
        kind: 'unknown',
        reason: 'malformed',
      });
      expect(mapChaoyingQueryAnswer(listed([ours('SUCCESS')]), { ...context, signatureValid: false })).toMatchObject({
        kind: 'unknown',
        reason: 'bad_signature',
      });
    });
  });
});

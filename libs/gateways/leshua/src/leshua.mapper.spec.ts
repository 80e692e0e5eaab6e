import { gatewayRefundQuery, gatewayRefundRequest } from '@refundhub/gateway-kit/testing';

import {
  mapLeshuaQueryAnswer,
  mapLeshuaRefundAnswer,
  newLeshuaNonce,
  toLeshuaQueryParams,
  toLeshuaRefundParams,
} from './leshua.mapper';

const request = gatewayRefundRequest({
  merchantId: '0000000018',
  refundNo: 'R1',
  order: { merchantOrderNo: 'T1', totalAmount: 1000, payMethod: null, paidAt: null },
});

const query = gatewayRefundQuery(request);

const ok = {
  resp_code: '0',
  resp_msg: '',
  result_code: '0',
  error_code: '',
  error_msg: '',
  merchant_id: '0000000018',
  third_order_id: 'T1',
  leshua_order_id: 'LSO1',
  refund_amount: '100',
  merchant_refund_id: 'R1',
  leshua_refund_id: 'LSR1',
  total_amount: '1000',
  status: '10',
  nonce_str: 'n',
  sign: 'S',
};

/** The codes an operator names; here the sandbox's. */
const codes = {
  failed: new Set(['REFUND_AMOUNT_EXCEED', 'LESHUA_RESULT_2']),
  busy: new Set(['SYSTEM_BUSY']),
  notFound: new Set(['REFUND_NOT_EXIST']),
};
const refundContext = { signatureValid: true, refundNo: 'R1', amount: 100, codes };
const queryContext = refundContext;

describe('Leshua mapper', () => {
  describe('requests', () => {
    it('builds unified_refund params from the merchant order number', () => {
      expect(toLeshuaRefundParams(request, { nonce: 'N', notifyUrlEncoding: 'encoded' })).toEqual({
        service: 'unified_refund',
        merchant_id: '0000000018',
        third_order_id: 'T1',
        merchant_refund_id: 'R1',
        refund_amount: '100',
        nonce_str: 'N',
      });
    });

    it('sends leshua_order_id when known, both refs when both are known, and the encoded notify_url', () => {
      const params = toLeshuaRefundParams(
        {
          ...request,
          order: { ...request.order, gatewayOrderNo: 'LSO1' },
          gatewayNotifyUrl: 'https://h.example/n?a=1',
        },
        { nonce: 'N', notifyUrlEncoding: 'encoded' },
      );
      expect(params).toMatchObject({
        third_order_id: 'T1',
        leshua_order_id: 'LSO1',
        notify_url: 'https%3A%2F%2Fh.example%2Fn%3Fa%3D1',
      });
      const onlyGateway = toLeshuaRefundParams(
        { ...request, order: { ...request.order, merchantOrderNo: null, gatewayOrderNo: 'LSO1' } },
        { nonce: 'N', notifyUrlEncoding: 'encoded' },
      );
      expect(onlyGateway.leshua_order_id).toBe('LSO1');
      expect('third_order_id' in onlyGateway).toBe(false);
    });

    it('sends notify_url as is in raw mode', () => {
      const params = toLeshuaRefundParams(
        { ...request, gatewayNotifyUrl: 'https://h.example/n' },
        { nonce: 'N', notifyUrlEncoding: 'raw' },
      );
      expect(params.notify_url).toBe('https://h.example/n');
    });

    it('builds unified_query_refund params, with leshua_refund_id once known', () => {
      expect(toLeshuaQueryParams(query, 'N')).toEqual({
        service: 'unified_query_refund',
        merchant_id: '0000000018',
        third_order_id: 'T1',
        merchant_refund_id: 'R1',
        nonce_str: 'N',
      });
      expect(toLeshuaQueryParams({ ...query, gatewayRefundNo: 'LSR1' }, 'N').leshua_refund_id).toBe('LSR1');
    });

    it('makes 32-hex-char nonces that differ', () => {
      const a = newLeshuaNonce();
      expect(a).toMatch(/^[0-9a-f]{32}$/);
      expect(newLeshuaNonce()).not.toBe(a);
    });
  });

  describe('unified_refund answers', () => {
    it('maps status 10 to processing with the leshua_refund_id', () => {
      expect(mapLeshuaRefundAnswer(ok, refundContext)).toEqual({
        kind: 'processing',
        rawStatus: '10',
        gatewayRefundNo: 'LSR1',
        order: { merchantOrderNo: 'T1', gatewayOrderNo: 'LSO1', totalAmount: 1000 },
      });
    });

    it('maps status 11 to succeeded, with finishedAt from refund_time in China time', () => {
      expect(mapLeshuaRefundAnswer({ ...ok, status: '11', refund_time: '2025-01-02 08:00:00' }, refundContext)).toEqual(
        {
          kind: 'succeeded',
          rawStatus: '11',
          gatewayRefundNo: 'LSR1',
          finishedAt: new Date('2025-01-02T00:00:00Z'),
          order: { merchantOrderNo: 'T1', gatewayOrderNo: 'LSO1', totalAmount: 1000 },
        },
      );
      expect(mapLeshuaRefundAnswer({ ...ok, status: '11' }, refundContext)).toMatchObject({
        kind: 'succeeded',
        finishedAt: undefined,
      });
    });

    it('maps status 12 to failed with a default code and message', () => {
      expect(mapLeshuaRefundAnswer({ ...ok, status: '12' }, refundContext)).toEqual({
        kind: 'failed',
        rawStatus: '12',
        gatewayRefundNo: 'LSR1',
        code: 'LESHUA_STATUS_12',
        message: '退款失败',
        order: { merchantOrderNo: 'T1', gatewayOrderNo: 'LSO1', totalAmount: 1000 },
      });
    });

    it('names the order as the answer does: third_order_id, leshua_order_id and total_amount, only those it carries', () => {
      expect(mapLeshuaRefundAnswer({ ...ok, third_order_id: '' }, refundContext)).toMatchObject({
        order: { gatewayOrderNo: 'LSO1', totalAmount: 1000 },
      });
      const bare = mapLeshuaRefundAnswer(
        { ...ok, third_order_id: '', leshua_order_id: '', total_amount: '' },
        refundContext,
      );
      expect(bare).not.toHaveProperty('order.merchantOrderNo');
      expect('order' in bare && bare.order).toBeUndefined();
    });

    it.each(['', '0', '10.00', '-1', 'abc'])('leaves out a total_amount of %p rather than guess one', (total) => {
      const outcome = mapLeshuaQueryAnswer({ ...ok, total_amount: total }, queryContext);
      expect(outcome).toMatchObject({ kind: 'processing', order: { merchantOrderNo: 'T1', gatewayOrderNo: 'LSO1' } });
      expect(outcome).not.toHaveProperty('order.totalAmount');
    });

    it('takes no order from a refusal, which only echoes the request', () => {
      const refused = mapLeshuaRefundAnswer(
        { ...ok, result_code: '1', error_code: 'REFUND_AMOUNT_EXCEED', error_msg: '超额', status: '' },
        refundContext,
      );
      expect(refused).toEqual({ kind: 'failed', code: 'REFUND_AMOUNT_EXCEED', message: '超额' });
    });

    it('maps status 12 with the gateway error code and failure reason', () => {
      expect(
        mapLeshuaRefundAnswer(
          { ...ok, status: '12', error_code: 'BANK_REFUSED', failure_reason: '银行拒绝', error_msg: 'x' },
          refundContext,
        ),
      ).toMatchObject({ kind: 'failed', code: 'BANK_REFUSED', message: '银行拒绝' });
      expect(
        mapLeshuaRefundAnswer({ ...ok, status: '12', error_code: '0', error_msg: '余额不足' }, refundContext),
      ).toMatchObject({
        code: 'LESHUA_STATUS_12',
        message: '余额不足',
      });
    });

    it.each(['0', '2', '6', '8', '', '99'])('maps status %p to unknown', (status) => {
      expect(mapLeshuaRefundAnswer({ ...ok, status }, refundContext)).toMatchObject({
        kind: 'unknown',
        rawStatus: status,
      });
    });

    it('maps a missing status to unknown', () => {
      const { status: _status, ...noStatus } = ok;
      expect(mapLeshuaRefundAnswer(noStatus, refundContext)).toMatchObject({ kind: 'unknown' });
    });

    it('maps resp_code other than 0 to unknown, even when result_code says refused', () => {
      expect(
        mapLeshuaRefundAnswer(
          { resp_code: '1', resp_msg: '签名错误', result_code: '1', error_code: 'X' },
          refundContext,
        ),
      ).toEqual({
        kind: 'unknown',
        reason: 'unrecognized',
        detail: expect.stringContaining('resp_code=1'),
        code: '1',
        message: '签名错误',
      });
      expect(mapLeshuaRefundAnswer({}, refundContext)).toMatchObject({
        kind: 'unknown',
        detail: expect.stringContaining('(missing)'),
      });
    });

    it('maps a wrongly signed answer to unknown, whatever it says', () => {
      expect(mapLeshuaRefundAnswer({ ...ok, status: '12' }, { ...refundContext, signatureValid: false })).toEqual({
        kind: 'unknown',
        reason: 'bad_signature',
        detail: 'Leshua answer is unsigned or wrongly signed',
      });
    });

    it('maps an answer without result_code to unknown (malformed)', () => {
      expect(mapLeshuaRefundAnswer({ ...ok, result_code: '' }, refundContext)).toMatchObject({
        kind: 'unknown',
        reason: 'malformed',
      });
    });

    it('maps a listed refusal code to failed with the gateway code and message', () => {
      expect(
        mapLeshuaRefundAnswer(
          { ...ok, result_code: '1', error_code: 'REFUND_AMOUNT_EXCEED', error_msg: '超出', status: '' },
          refundContext,
        ),
      ).toEqual({ kind: 'failed', code: 'REFUND_AMOUNT_EXCEED', message: '超出' });
      expect(mapLeshuaRefundAnswer({ ...ok, result_code: '2', error_code: '', error_msg: '' }, refundContext)).toEqual({
        kind: 'failed',
        code: 'LESHUA_RESULT_2',
        message: '乐刷拒绝退款',
      });
    });

    it('maps a configured "busy" error code to unknown (gateway_busy)', () => {
      expect(
        mapLeshuaRefundAnswer(
          { ...ok, result_code: '1', error_code: 'SYSTEM_BUSY', error_msg: '系统繁忙' },
          refundContext,
        ),
      ).toMatchObject({ kind: 'unknown', reason: 'gateway_busy', code: 'SYSTEM_BUSY', message: '系统繁忙' });
    });

    it('maps any code it does not list to unknown (unrecognized), never failed', () => {
      expect(
        mapLeshuaRefundAnswer(
          { ...ok, result_code: '1', error_code: '-1041', error_msg: '超出单笔支付限额' },
          refundContext,
        ),
      ).toMatchObject({ kind: 'unknown', reason: 'unrecognized', code: '-1041', message: '超出单笔支付限额' });
      expect(
        mapLeshuaRefundAnswer(
          { ...ok, result_code: '1', error_code: 'REFUND_AMOUNT_EXCEED' },
          { ...refundContext, codes: { ...codes, failed: new Set() } },
        ),
      ).toMatchObject({ kind: 'unknown', reason: 'unrecognized' });
    });

    it('does not treat the query not-found code as special on refunds', () => {
      expect(
        mapLeshuaRefundAnswer({ ...ok, result_code: '1', error_code: 'REFUND_NOT_EXIST' }, refundContext),
      ).toMatchObject({
        kind: 'unknown',
        reason: 'unrecognized',
        code: 'REFUND_NOT_EXIST',
      });
    });

    it('maps a signed answer for another amount to unknown', () => {
      expect(mapLeshuaRefundAnswer({ ...ok, status: '11', refund_amount: '99' }, refundContext)).toEqual({
        kind: 'unknown',
        rawStatus: '11',
        reason: 'mismatch',
        detail: "Leshua answered amount '99' for a refund of 100 fen",
      });
      expect(mapLeshuaRefundAnswer({ ...ok, refund_amount: '1.00' }, refundContext)).toMatchObject({
        kind: 'unknown',
      });
    });

    it('maps a signed answer about another refund number to unknown', () => {
      expect(mapLeshuaRefundAnswer({ ...ok, merchant_refund_id: 'R2' }, refundContext)).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
        detail: expect.stringContaining("'R2'"),
      });
    });
  });

  describe('unified_query_refund answers', () => {
    it('maps the refund states like refund answers', () => {
      expect(mapLeshuaQueryAnswer(ok, queryContext)).toMatchObject({
        kind: 'processing',
        gatewayRefundNo: 'LSR1',
      });
      expect(
        mapLeshuaQueryAnswer({ ...ok, status: '11', refund_time: '2025-01-02 08:00:00' }, queryContext),
      ).toMatchObject({
        kind: 'succeeded',
        finishedAt: new Date('2025-01-02T00:00:00Z'),
      });
      expect(mapLeshuaQueryAnswer({ ...ok, status: '12', failure_reason: '卡已注销' }, queryContext)).toMatchObject({
        kind: 'failed',
        code: 'LESHUA_STATUS_12',
        message: '卡已注销',
      });
      expect(mapLeshuaQueryAnswer({ ...ok, status: '2' }, queryContext)).toMatchObject({
        kind: 'unknown',
        rawStatus: '2',
      });
    });

    it('maps a not-found error code to not_found', () => {
      expect(
        mapLeshuaQueryAnswer(
          { ...ok, result_code: '1', error_code: 'REFUND_NOT_EXIST', error_msg: '退款记录不存在' },
          queryContext,
        ),
      ).toEqual({ kind: 'not_found', code: 'REFUND_NOT_EXIST', message: '退款记录不存在' });
    });

    it('maps any other refused query to unknown: a failed query is not a failed refund', () => {
      expect(
        mapLeshuaQueryAnswer({ ...ok, result_code: '1', error_code: 'PARAM_ERROR', error_msg: 'bad' }, queryContext),
      ).toMatchObject({
        kind: 'unknown',
        code: 'PARAM_ERROR',
        message: 'bad',
      });
      expect(mapLeshuaQueryAnswer({ ...ok, result_code: '1', error_code: 'SYSTEM_BUSY' }, queryContext)).toMatchObject({
        kind: 'unknown',
      });
    });

    it('maps resp_code errors, bad signatures and other refund numbers to unknown', () => {
      expect(mapLeshuaQueryAnswer({ ...ok, resp_code: '-1' }, queryContext)).toMatchObject({
        kind: 'unknown',
        code: '-1',
      });
      expect(mapLeshuaQueryAnswer(ok, { ...queryContext, signatureValid: false })).toMatchObject({
        kind: 'unknown',
      });
      expect(
        mapLeshuaQueryAnswer(
          { ...ok, result_code: '1', error_code: 'REFUND_NOT_EXIST' },
          { ...queryContext, signatureValid: false },
        ),
      ).toMatchObject({ kind: 'unknown' });
      expect(mapLeshuaQueryAnswer({ ...ok, status: '11', merchant_refund_id: 'R9' }, queryContext)).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
      });
      expect(mapLeshuaQueryAnswer({ ...ok, status: '11', refund_amount: '101' }, queryContext)).toMatchObject({
        kind: 'unknown',
        reason: 'mismatch',
      });
    });
  });
});

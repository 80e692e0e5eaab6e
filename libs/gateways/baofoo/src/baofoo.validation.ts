import type { FieldProblem, GatewayRefundRequest, GatewayRuleRefusal, GatewayValidation } from '@refundhub/core';
import { refundWindowRefusal } from '@refundhub/gateway-kit';

import { BAOFOO_GATEWAY_ID } from './baofoo.credentials';
import { BAOFOO_REFUND_WINDOW_DAYS } from './baofoo.options';
import { readBaofooRefundExtras } from './baofoo.refund-options';

/** The largest refund the module sends: any safe integer of fen (Baofoo documents no limit of its own). */
export const BAOFOO_MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** `outTradeNo`: S(50), 「商户订单号仅支持字母、数字、下划线」 (接口说明 幂等支持). */
const OUT_TRADE_NO = /^[A-Za-z0-9_]{1,50}$/;
const ORDER_NO_MAX = 32;
const MERCHANT_ID_MAX = 16;
const REASON_MAX = 128;

/**
 * Baofoo's field limits for `order_refund` (seed doc), reported against the domain request's field names
 * (`problems`, answered 400), and its business rule: no refund of an order paid more than a year ago
 * (`refusals`, 422 REFUND_WINDOW_CLOSED). A year is {@link BAOFOO_REFUND_WINDOW_DAYS} calendar days in
 * China time: an order paid on 2025-03-10 can be refunded until 2026-03-10 inclusive; after a 29
 * February the last day is lost, which Baofoo would refuse anyway if it counts a calendar year.
 * Pure: time from `request.now`.
 */
export function validateBaofooRefund(request: GatewayRefundRequest): GatewayValidation {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field, message });
  };

  if (!OUT_TRADE_NO.test(request.refundNo)) {
    problem('refundNo', 'must be 1 to 50 letters, digits or _ for Baofoo (outTradeNo)');
  }
  if (!Number.isSafeInteger(request.amount) || request.amount < 1) {
    problem('amount', 'must be a positive integer number of fen for Baofoo');
  }
  if (request.merchantId.length > MERCHANT_ID_MAX) {
    problem('merchantId', `must be at most ${MERCHANT_ID_MAX} characters for Baofoo (merId)`);
  }
  const reason = request.reason?.trim() ?? '';
  if (reason === '') problem('reason', 'is required by Baofoo (refundReason)');
  else if ([...reason].length > REASON_MAX) {
    problem('reason', `must be at most ${REASON_MAX} characters for Baofoo (refundReason)`);
  }
  const { merchantOrderNo, gatewayOrderNo, paidAt } = request.order;
  if (!merchantOrderNo && !gatewayOrderNo) {
    problem(
      'order.merchantOrderNo',
      'Baofoo needs order.gatewayOrderNo (originTradeNo) or order.merchantOrderNo (originOutTradeNo)',
    );
  }
  if (gatewayOrderNo && gatewayOrderNo.length > ORDER_NO_MAX) {
    problem('order.gatewayOrderNo', `must be at most ${ORDER_NO_MAX} characters for Baofoo (originTradeNo)`);
  }
  if (!gatewayOrderNo && merchantOrderNo && merchantOrderNo.length > ORDER_NO_MAX) {
    problem('order.merchantOrderNo', `must be at most ${ORDER_NO_MAX} characters for Baofoo (originOutTradeNo)`);
  }
  if (!paidAt || Number.isNaN(paidAt.getTime())) {
    problem('order.paidAt', 'is required for Baofoo: orders paid more than a year ago cannot be refunded');
  }

  const { extras, problems: optionProblems } = readBaofooRefundExtras(request.gatewayOptions);
  problems.push(...optionProblems);
  if (optionProblems.length === 0 && Number.isSafeInteger(request.amount)) {
    // 退款总金额 = 退款金额 + 营销退款金额 = 分账明细退款金额 + 剩余未分账金额 + 垫资金额
    const totalAmt = request.amount + (extras.mktRefundInfo?.mktAmt ?? 0);
    const shared = (extras.sharingRefundInfo ?? []).reduce((sum, part) => sum + part.sharingAmt, 0);
    if (shared + (extras.advanceAmt ?? 0) > totalAmt) {
      const field = extras.sharingRefundInfo ? 'gatewayOptions.sharingRefundInfo' : 'gatewayOptions.advanceAmt';
      problem(
        field,
        `sharing parts (${shared} fen) plus advanceAmt (${extras.advanceAmt ?? 0} fen) exceed the refund's ` +
          `total of ${totalAmt} fen (amount + mktRefundInfo.mktAmt)`,
      );
    }
    if (!Number.isSafeInteger(totalAmt)) problem('gatewayOptions.mktRefundInfo.mktAmt', 'makes the total too large');
  }

  const refusals: GatewayRuleRefusal[] = [];
  const closed = refundWindowRefusal({
    gateway: BAOFOO_GATEWAY_ID,
    paidAt,
    now: request.now,
    windowDays: BAOFOO_REFUND_WINDOW_DAYS,
  });
  if (closed) refusals.push(closed);
  return { problems, refusals };
}

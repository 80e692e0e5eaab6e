import type { FieldProblem, GatewayRefundRequest, GatewayValidation } from '@refundhub/core';
import { refundWindowRefusal } from '@refundhub/gateway-kit';

import { UMF_GATEWAY_ID } from './umf.credentials';
import { UMF_PAY_METHODS, umfPayTypeOf } from './umf.pay-type';

/** `amount` is 13 digits wide. */
export const UMF_MAX_AMOUNT = 9_999_999_999_999;

/** 「支持对90天以内的成功订单发起退款」. */
export const UMF_REFUND_WINDOW_DAYS = 90;

/** Printable ASCII without blanks: values are signed raw, and UMF asks for no leading or trailing blanks. */
const WIRE_ID = /^[\x21-\x7e]{1,32}$/;

/**
 * Field limits of `/online/refund` (seed doc table), reported against the domain request's field names,
 * and the 90-day refund window (China calendar days, from the request's `now`).
 */
export function validateUmfRefund(request: GatewayRefundRequest): GatewayValidation {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  if (!WIRE_ID.test(request.refundNo)) {
    problem('refundNo', 'must be 1 to 32 printable ASCII characters without blanks for UMF (refundPartnerOrderId)');
  }
  if (!Number.isSafeInteger(request.amount) || request.amount < 1 || request.amount > UMF_MAX_AMOUNT) {
    problem('amount', `must be an integer number of fen from 1 to ${UMF_MAX_AMOUNT} for UMF`);
  }
  const { merchantOrderNo, payMethod, paidAt } = request.order;
  if (!merchantOrderNo) {
    problem('order.merchantOrderNo', 'is required for UMF (partnerOrderId): UMF refunds by the merchant order number');
  } else if (!WIRE_ID.test(merchantOrderNo)) {
    problem(
      'order.merchantOrderNo',
      'must be 1 to 32 printable ASCII characters without blanks for UMF (partnerOrderId)',
    );
  }
  if (!payMethod) {
    problem('order.payMethod', `is required for UMF (payType): one of ${UMF_PAY_METHODS.join(', ')}`);
  } else if (!umfPayTypeOf(payMethod)) {
    problem('order.payMethod', `must be one of ${UMF_PAY_METHODS.join(', ')} for UMF (payType)`);
  }
  if (!paidAt || Number.isNaN(paidAt.getTime())) {
    problem('order.paidAt', 'is required for UMF: it gives orderDate and the 90-day refund window');
  }
  for (const name of ['shopNo', 'operator']) {
    const value = request.gatewayOptions[name];
    if (value !== undefined && (typeof value !== 'string' || value.length > 32)) {
      problem(`gatewayOptions.${name}`, `must be a string of at most 32 characters for UMF (${name})`);
    }
  }
  const closed = refundWindowRefusal({
    gateway: UMF_GATEWAY_ID,
    paidAt,
    now: request.now,
    windowDays: UMF_REFUND_WINDOW_DAYS,
  });
  return { problems, refusals: closed ? [closed] : [] };
}

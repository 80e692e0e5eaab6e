import type { FieldProblem, GatewayRefundRequest, GatewayValidation } from '@refundhub/core';

import { CHAOYING_PAY_TYPES } from './chaoying.types';

/** The largest amount a fen string of the gateway may carry (no limit is documented; this keeps it integral). */
export const CHAOYING_MAX_AMOUNT = 9_999_999_999;

/**
 * Field limits of `method=refund` (seed doc, 参数规定), reported against the domain request's field names.
 * `out_refund_no`: 「32个字符内、可包含字母」; the examples carry `-` (TK-1497769914931-01). No refund
 * window is documented.
 */
export function validateChaoyingRefund(request: GatewayRefundRequest): GatewayValidation {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  if (!/^[A-Za-z0-9_-]{1,32}$/.test(request.refundNo)) {
    problem('refundNo', 'must be 1 to 32 letters, digits, _ or - for ChaoYing (out_refund_no)');
  }
  if (!Number.isSafeInteger(request.amount) || request.amount < 1 || request.amount > CHAOYING_MAX_AMOUNT) {
    problem('amount', `must be an integer number of fen from 1 to ${CHAOYING_MAX_AMOUNT} for ChaoYing`);
  }
  const { merchantOrderNo, gatewayOrderNo, payMethod } = request.order;
  if (!merchantOrderNo && !gatewayOrderNo) {
    problem(
      'order.merchantOrderNo',
      'ChaoYing needs order.merchantOrderNo (out_trade_no) or order.gatewayOrderNo (transaction_id)',
    );
  }
  if (merchantOrderNo && merchantOrderNo.length > 32) {
    problem('order.merchantOrderNo', 'must be at most 32 characters for ChaoYing (out_trade_no)');
  }
  if (gatewayOrderNo && gatewayOrderNo.length > 64) {
    problem('order.gatewayOrderNo', 'must be at most 64 characters for ChaoYing (transaction_id)');
  }
  if (!payMethod) {
    problem('order.payMethod', `is required for ChaoYing (paytype): one of ${CHAOYING_PAY_TYPES.join(', ')}`);
  } else if (!(CHAOYING_PAY_TYPES as readonly string[]).includes(payMethod)) {
    problem('order.payMethod', `must be one of ${CHAOYING_PAY_TYPES.join(', ')} for ChaoYing (paytype)`);
  }
  if (request.merchantId.length > 32) problem('merchantId', 'must be at most 32 characters for ChaoYing (mch_id)');
  return { problems, refusals: [] };
}

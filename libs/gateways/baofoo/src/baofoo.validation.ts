import type { FieldProblem, GatewayRefundRequest, GatewayValidation } from '@refundhub/core';

/** The largest amount the placeholder accepts (TODO: Baofoo's real limit). */
export const BAOFOO_MAX_AMOUNT = 9_999_999_999;

/**
 * Baofoo's field limits, reported against the domain request's field names (`problems`, answered 400),
 * and its business rules (`refusals`, answered 422; see the kit's `refundWindowRefusal`).
 * PLACEHOLDER limits: replace them with the documentation's. Pure: no I/O, time from `request.now`.
 */
export function validateBaofooRefund(request: GatewayRefundRequest): GatewayValidation {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  if (!/^[A-Za-z0-9_-]{1,64}$/.test(request.refundNo)) {
    problem('refundNo', 'must be 1 to 64 letters, digits, _ or - for Baofoo');
  }
  if (!Number.isSafeInteger(request.amount) || request.amount < 1 || request.amount > BAOFOO_MAX_AMOUNT) {
    problem('amount', `must be an integer number of fen from 1 to ${BAOFOO_MAX_AMOUNT} for Baofoo`);
  }
  const { merchantOrderNo, gatewayOrderNo } = request.order;
  if (!merchantOrderNo && !gatewayOrderNo) {
    problem('order.merchantOrderNo', 'Baofoo needs order.merchantOrderNo or order.gatewayOrderNo');
  }
  if (merchantOrderNo && merchantOrderNo.length > 64) {
    problem('order.merchantOrderNo', 'must be at most 64 characters for Baofoo');
  }
  if (gatewayOrderNo && gatewayOrderNo.length > 64) {
    problem('order.gatewayOrderNo', 'must be at most 64 characters for Baofoo');
  }
  if (request.gatewayNotifyUrl && !/^https?:\/\/[^/?#\s]+/i.test(request.gatewayNotifyUrl)) {
    problem('gatewayNotifyUrl', 'must be an absolute http(s) URL for Baofoo');
  }
  return { problems, refusals: [] };
}

import type { FieldProblem, GatewayRefundRequest, GatewayValidation } from '@refundhub/core';

import { encodeLeshuaNotifyUrl } from './leshua.mapper';

/** The largest amount `refund_amount` (10 characters) can carry. */
export const LESHUA_MAX_AMOUNT = 9_999_999_999;

/**
 * Field limits of `unified_refund` (doc 1099885), reported against the domain request's field names.
 * `merchant_refund_id`: the SDK allows letters and digits only (no `_`), so nothing else is accepted.
 * Leshua documents no refund window, so there is no business rule to refuse with.
 */
export function validateLeshuaRefund(
  request: GatewayRefundRequest,
  notifyUrlEncoding: 'encoded' | 'raw',
): GatewayValidation {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  if (!/^[A-Za-z0-9]{1,64}$/.test(request.refundNo)) {
    problem('refundNo', 'must be 1 to 64 letters or digits for Leshua');
  }
  if (!Number.isSafeInteger(request.amount) || request.amount < 1 || request.amount > LESHUA_MAX_AMOUNT) {
    problem('amount', `must be an integer number of fen from 1 to ${LESHUA_MAX_AMOUNT} for Leshua`);
  }
  const { merchantOrderNo, gatewayOrderNo } = request.order;
  if (!merchantOrderNo && !gatewayOrderNo) {
    problem('order.merchantOrderNo', 'Leshua needs order.merchantOrderNo or order.gatewayOrderNo');
  }
  if (merchantOrderNo && merchantOrderNo.length > 64) {
    problem('order.merchantOrderNo', 'must be at most 64 characters for Leshua');
  }
  if (gatewayOrderNo && gatewayOrderNo.length > 32) {
    problem('order.gatewayOrderNo', 'must be at most 32 characters for Leshua');
  }
  if (request.merchantId.length < 1 || request.merchantId.length > 10) {
    problem('merchantId', 'must be 1 to 10 characters for Leshua');
  }
  if (request.gatewayNotifyUrl) {
    if (!/^https?:\/\/[^/?#\s]+/i.test(request.gatewayNotifyUrl)) {
      problem('gatewayNotifyUrl', 'must be an absolute http(s) URL for Leshua');
    } else if (encodeLeshuaNotifyUrl(request.gatewayNotifyUrl, notifyUrlEncoding).length > 128) {
      problem(
        'gatewayNotifyUrl',
        `must be at most 128 characters once ${notifyUrlEncoding === 'encoded' ? 'URL-encoded' : 'sent'} for Leshua`,
      );
    }
  }
  return { problems, refusals: [] };
}

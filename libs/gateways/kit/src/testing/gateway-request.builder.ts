import type { GatewayRefundQuery, GatewayRefundRequest } from '@refundhub/core';

/** The clock every built request carries unless told otherwise: a fixed instant, so tests stay deterministic. */
export const CONTRACT_NOW = new Date('2026-01-05T04:00:00.000Z');

/**
 * A refund request as refund-core hands it to an adapter: one partial refund of a paid order.
 * Every field can be overridden; `order` is merged, so a test names only what it is about.
 */
export function gatewayRefundRequest(
  overrides: Partial<Omit<GatewayRefundRequest, 'order'>> & { order?: Partial<GatewayRefundRequest['order']> } = {},
): GatewayRefundRequest {
  const { order, ...rest } = overrides;
  return {
    refundId: 'rf_contract',
    merchantId: 'm1',
    refundNo: 'R20260105000001',
    amount: 100,
    reason: 'customer returned the goods',
    gatewayRefundNo: null,
    gatewayOptions: {},
    requestedAt: CONTRACT_NOW,
    submittedAt: null,
    now: CONTRACT_NOW,
    gatewayNotifyUrl: null,
    attempt: 1,
    ...rest,
    order: {
      merchantOrderNo: 'T20260105000001',
      gatewayOrderNo: null,
      totalAmount: 300,
      payMethod: 'WECHAT',
      paidAt: new Date('2026-01-04T04:00:00.000Z'),
      ...order,
    },
  };
}

/** The query refund-core sends for a refund once submitted: the same snapshot, with the submission time. */
export function gatewayRefundQuery(
  request: GatewayRefundRequest,
  overrides: Partial<GatewayRefundQuery> = {},
): GatewayRefundQuery {
  const { gatewayNotifyUrl: _url, attempt: _attempt, ...snapshot } = request;
  return { ...snapshot, submittedAt: request.submittedAt ?? request.now, ...overrides };
}

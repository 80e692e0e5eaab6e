import type { GatewayRefundRequest } from '@refundhub/core';
import {
  describeGatewayContract,
  gatewayRefundRequest,
  type GatewayContractHarness,
} from '@refundhub/gateway-kit/testing';

import { LESHUA_NOTIFICATION_ACK } from './leshua.notify';
import { createLeshuaSandboxNotification, LESHUA_SANDBOX_ERRORS } from './sandbox';
import { createLeshuaTestApp, MERCHANT, NOTIFY_KEY } from './testing/leshua-test-app';

const ORDER = 'T20260105000001';

async function leshuaContractHarness(): Promise<GatewayContractHarness> {
  const app = await createLeshuaTestApp();
  app.sandbox.seedOrder({ merchantId: MERCHANT, thirdOrderId: ORDER, totalAmount: 1_000_000 });
  let seq = 0;
  const notification = (
    request: GatewayRefundRequest,
    outcome: 'success' | 'fail',
    key: string,
    tamper?: Record<string, string>,
  ) =>
    createLeshuaSandboxNotification({
      merchantId: request.merchantId,
      merchantRefundId: request.refundNo,
      thirdOrderId: ORDER,
      amount: request.amount,
      outcome,
      refundTime: request.now,
      key,
      tamper,
    });
  const inbound = (xml: { rawBody: Buffer }) => ({ rawBody: xml.rawBody, contentType: 'text/xml', headers: {} });
  return {
    gateway: app.gateway,
    request: (overrides = {}) =>
      gatewayRefundRequest({
        merchantId: MERCHANT,
        refundNo: `RC${++seq}`,
        order: { merchantOrderNo: ORDER, totalAmount: 1_000_000 },
        ...overrides,
      }),
    sandbox: {
      plan: (refundNo, plan) =>
        app.sandbox.planRefund(refundNo, { outcome: plan.outcome, afterQueries: plan.afterQueries }),
      failNext: (operation, mode, options = {}) =>
        app.sandbox.failNext(mode, {
          service: operation === 'submit' ? 'unified_refund' : 'unified_query_refund',
          ...options,
        }),
      refuseNext: () =>
        app.sandbox.rejectNext(LESHUA_SANDBOX_ERRORS.amountExceeds, '退款金额超过订单可退金额', {
          service: 'unified_refund',
        }),
      releaseHeld: () => void app.sandbox.releaseHeld(),
      submissions: (refundNo) => app.sandbox.refundSubmissions(refundNo),
      refunds: (refundNo) => (app.sandbox.refund(MERCHANT, refundNo) ? 1 : 0),
    },
    notifications: {
      genuine: (request, outcome) => inbound(notification(request, outcome, NOTIFY_KEY)),
      forged: (request, outcome) => inbound(notification(request, outcome, 'NOT-THE-NOTIFY-KEY')),
      tampered: (request, outcome) =>
        inbound(notification(request, outcome, NOTIFY_KEY, { refund_amount: String(request.amount + 1) })),
      isAcknowledgement: (answer) => answer.status === 200 && answer.body === LESHUA_NOTIFICATION_ACK,
    },
    close: () => app.close(),
  };
}

describeGatewayContract('Leshua', leshuaContractHarness, { notifications: true });

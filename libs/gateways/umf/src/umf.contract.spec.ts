import type { GatewayRefundRequest, InboundNotification } from '@refundhub/core';
import {
  CONTRACT_NOW,
  describeGatewayContract,
  gatewayRefundRequest,
  type GatewayContractHarness,
} from '@refundhub/gateway-kit/testing';

import { checkUmfAck, type UmfSandboxNotificationFields } from './sandbox';
import { createUmfTestApp, MERCHANT, umfMerchantKeys } from './testing/umf-test-app';

const ORDER = 'T20260105000001';
const PAID_AT = new Date('2026-01-04T04:00:00.000Z');

async function umfContractHarness(): Promise<GatewayContractHarness> {
  // The sandbox's clock is the requests' clock, so its 90-day window agrees with the module's.
  const app = await createUmfTestApp({}, { now: () => CONTRACT_NOW });
  app.sandbox.seedOrder({
    merchantId: MERCHANT,
    partnerOrderId: ORDER,
    amount: 1_000_000,
    payType: 'AL',
    paidAt: PAID_AT,
  });
  let seq = 0;
  /** The last notification built, whose fields an acknowledgement must repeat. */
  let last: UmfSandboxNotificationFields | undefined;
  const notification = (
    request: GatewayRefundRequest,
    outcome: 'success' | 'fail',
    options: { forged?: boolean; tamper?: Record<string, string> } = {},
  ): InboundNotification => {
    last = app.sandbox.buildNotification({
      notification: {
        merchantId: request.merchantId,
        partnerOrderId: ORDER,
        orderDate: '20260104',
        refundPartnerOrderId: request.refundNo,
        amount: request.amount,
        payType: 'AL',
        outcome,
        at: request.now,
      },
      ...options,
    });
    return { rawBody: Buffer.from(JSON.stringify(last)), contentType: 'application/json', headers: {} };
  };
  return {
    gateway: app.gateway,
    request: (overrides = {}) =>
      gatewayRefundRequest({
        merchantId: MERCHANT,
        refundNo: `RC${++seq}`,
        now: CONTRACT_NOW,
        order: { merchantOrderNo: ORDER, totalAmount: 1_000_000, payMethod: 'ALIPAY', paidAt: PAID_AT },
        ...overrides,
      }),
    sandbox: {
      plan: (refundNo, plan) =>
        app.sandbox.planRefund(refundNo, { outcome: plan.outcome, afterQueries: plan.afterQueries }),
      failNext: (operation, mode, options = {}) =>
        app.sandbox.failNext(mode, { operation: operation === 'submit' ? 'refund' : 'query', ...options }),
      // 3333 验签失败: the one refusal UMF documents, listed by the module as definite.
      refuseNext: () => app.sandbox.rejectNext({ retCode: '3333', message: '验签失败' }, 'refund'),
      releaseHeld: () => void app.sandbox.releaseHeld(),
      submissions: (refundNo) => app.sandbox.refundSubmissions(refundNo),
      refunds: (refundNo) => (app.sandbox.refund(MERCHANT, refundNo) ? 1 : 0),
    },
    notifications: {
      genuine: (request, outcome) => notification(request, outcome),
      forged: (request, outcome) => notification(request, outcome, { forged: true }),
      tampered: (request, outcome) =>
        notification(request, outcome, { tamper: { amount: String(request.amount + 1) } }),
      // What the sandbox itself requires of an answer before it stops delivering.
      isAcknowledgement: (answer) =>
        last !== undefined &&
        checkUmfAck({
          answer: { status: answer.status, body: answer.body },
          notification: last,
          merchantPublicKey: umfMerchantKeys().publicKey,
        }).problem === undefined,
    },
    close: () => app.close(),
  };
}

describeGatewayContract('UMF', umfContractHarness, { notifications: true, neverReceived: 'not_found' });

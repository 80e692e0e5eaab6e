import type { GatewayRefundRequest, InboundNotification } from '@refundhub/core';
import {
  CONTRACT_NOW,
  describeGatewayContract,
  gatewayRefundRequest,
  type GatewayContractHarness,
} from '@refundhub/gateway-kit/testing';

import { BAOFOO_NOTIFICATION_ACK } from './baofoo.types';
import { BAOFOO_SANDBOX_ERRORS, createBaofooSandboxNotification, generateBaofooSandboxKeyPair } from './sandbox';
import { baofooTestKeys, createBaofooTestApp, MERCHANT, TERMINAL } from './testing/baofoo-test-app';

const ORDER = 'T20260105000001';
/** Signs notifications that Baofoo did not send. */
let forger: string | undefined;

async function baofooContractHarness(): Promise<GatewayContractHarness> {
  // The adapter stamps requests with the core's clock; the sandbox checks them against its own.
  const app = await createBaofooTestApp({}, { now: () => CONTRACT_NOW });
  app.sandbox.seedOrder({
    merchantId: MERCHANT,
    originOutTradeNo: ORDER,
    totalAmount: 1_000_000,
    paidAt: new Date('2026-01-04T04:00:00.000Z'),
  });
  forger ??= generateBaofooSandboxKeyPair().privateKeyPem;
  let seq = 0;
  const notification = (
    request: GatewayRefundRequest,
    outcome: 'success' | 'fail',
    privateKeyPem: string,
    tamper?: Record<string, unknown>,
  ): InboundNotification => {
    const built = createBaofooSandboxNotification({
      merchantId: request.merchantId,
      terId: TERMINAL,
      outTradeNo: request.refundNo,
      tradeNo: `BFR${request.refundNo}`,
      outcome,
      succAmt: request.amount,
      finishTime: '20260105120000',
      privateKeyPem,
      tamper,
    });
    return { rawBody: built.rawBody, contentType: built.contentType, headers: {} };
  };
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
      // The refund answer is "accepted" (REFUND): queries settle it, one per planned step.
      plan: (refundNo, plan) =>
        app.sandbox.planRefund(refundNo, { outcome: plan.outcome, afterQueries: plan.afterQueries }),
      failNext: (operation, mode, options = {}) =>
        app.sandbox.failNext(mode, { operation: operation === 'submit' ? 'order_refund' : 'refund_query', ...options }),
      refuseNext: () =>
        app.sandbox.rejectNext(
          { errCode: BAOFOO_SANDBOX_ERRORS.amountExceeds, errMsg: '退款金额超过可退金额' },
          'order_refund',
        ),
      releaseHeld: () => void app.sandbox.releaseHeld(),
      submissions: (refundNo) => app.sandbox.refundSubmissions(refundNo),
      refunds: (refundNo) => (app.sandbox.refund(MERCHANT, refundNo) ? 1 : 0),
    },
    notifications: {
      genuine: (request, outcome) => notification(request, outcome, baofooTestKeys().baofoo.privateKeyPem),
      forged: (request, outcome) => notification(request, outcome, forger ?? ''),
      tampered: (request, outcome) =>
        notification(request, outcome, baofooTestKeys().baofoo.privateKeyPem, { succAmt: request.amount + 1 }),
      isAcknowledgement: (answer) => answer.status === 200 && answer.body === BAOFOO_NOTIFICATION_ACK,
    },
    close: () => app.close(),
  };
}

// ABNORMAL is what Baofoo answers about a refund it never received: it cannot tell "not found" (§5a).
describeGatewayContract('Baofoo', baofooContractHarness, { notifications: true, neverReceived: 'unknown' });

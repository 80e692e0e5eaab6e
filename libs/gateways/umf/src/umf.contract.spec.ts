import {
  describeGatewayContract,
  gatewayRefundRequest,
  type GatewayContractHarness,
} from '@refundhub/gateway-kit/testing';

import { UMF_SANDBOX_ERRORS } from './sandbox';
import { createUmfTestApp, MERCHANT } from './testing/umf-test-app';

const ORDER = 'T20260105000001';

async function umfContractHarness(): Promise<GatewayContractHarness> {
  const app = await createUmfTestApp();
  app.sandbox.seedOrder({ merchantId: MERCHANT, orderNo: ORDER, totalAmount: 1_000_000 });
  let seq = 0;
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
        app.sandbox.failNext(mode, { operation: operation === 'submit' ? 'refund' : 'query', ...options }),
      refuseNext: () =>
        app.sandbox.rejectNext(UMF_SANDBOX_ERRORS.amountExceeds, 'amount exceeds the refundable balance', {
          operation: 'refund',
        }),
      releaseHeld: () => void app.sandbox.releaseHeld(),
      submissions: (refundNo) => app.sandbox.refundSubmissions(refundNo),
      refunds: (refundNo) => (app.sandbox.refund(MERCHANT, refundNo) ? 1 : 0),
    },
    close: () => app.close(),
  };
}

// Once the module handles notifications: `notifications: true`, and the harness's `notifications`
// controls (see leshua.contract.spec.ts).
describeGatewayContract('Umf', umfContractHarness, { notifications: false, neverReceived: 'not_found' });

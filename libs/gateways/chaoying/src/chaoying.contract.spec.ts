import {
  describeGatewayContract,
  gatewayRefundRequest,
  type GatewayContractHarness,
} from '@refundhub/gateway-kit/testing';

import { createChaoyingTestApp, MERCHANT } from './testing/chaoying-test-app';

const ORDER = 'T20260105000001';

async function chaoyingContractHarness(): Promise<GatewayContractHarness> {
  const app = await createChaoyingTestApp();
  app.sandbox.seedOrder({ merchantId: MERCHANT, outTradeNo: ORDER, totalFee: 1_000_000, payType: 'WECHAT' });
  let seq = 0;
  return {
    gateway: app.gateway,
    request: (overrides = {}) =>
      gatewayRefundRequest({
        merchantId: MERCHANT,
        refundNo: `RC${++seq}`,
        order: { merchantOrderNo: ORDER, totalAmount: 1_000_000, payMethod: 'WECHAT' },
        ...overrides,
      }),
    sandbox: {
      // The refund answer is only ever "accepted": queries settle it, one per planned step.
      plan: (refundNo, plan) =>
        app.sandbox.planRefund(refundNo, { outcome: plan.outcome, afterQueries: plan.afterQueries }),
      failNext: (operation, mode, options = {}) =>
        app.sandbox.failNext(mode, { operation: operation === 'submit' ? 'refund' : 'refundquery', ...options }),
      // 20004 参数错误: a refusal the module documents as definite.
      refuseNext: () => app.sandbox.rejectNext({ code: '20004', msg: '参数错误' }, 'refund'),
      releaseHeld: () => void app.sandbox.releaseHeld(),
      submissions: (refundNo) => app.sandbox.refundSubmissions(refundNo),
      refunds: (refundNo) => (app.sandbox.refund(MERCHANT, refundNo) ? 1 : 0),
    },
    close: () => app.close(),
  };
}

describeGatewayContract('ChaoYing', chaoyingContractHarness, { notifications: false, neverReceived: 'not_found' });

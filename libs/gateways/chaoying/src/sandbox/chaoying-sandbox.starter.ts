import type { GatewaySandboxStarter } from '@refundhub/gateway-kit';

import type { ChaoyingConfig } from '../chaoying.config';
import type { ChaoyingOptions } from '../chaoying.options';
import { CHAOYING_SANDBOX_ERRORS } from './chaoying-sandbox.ledger';
import { ChaoyingSandbox } from './chaoying.sandbox';

/**
 * What `ChaoyingModule` must know to read this simulator's answers: the refusal codes it uses that the
 * module's documented list (`CHAOYING_DOCUMENTED_ERROR_CODES`) lacks, named the way an operator names the
 * real gateway's in `gateways.chaoying`. The sandbox answers `20008` 退款错误 only when it refunded nothing
 * (amount over the refundable balance, `out_refund_no` reused for another refund); the real gateway's
 * 20008 proves no such thing, so these never reach a production configuration: hosts add them only for
 * `baseUrl: sandbox`.
 */
export const CHAOYING_SANDBOX_MODULE_OPTIONS: Pick<
  ChaoyingOptions,
  'failedErrorCodes' | 'busyErrorCodes' | 'notFoundErrorCodes'
> = {
  failedErrorCodes: [CHAOYING_SANDBOX_ERRORS.amountExceeds],
  busyErrorCodes: [],
  notFoundErrorCodes: [],
};

/** Starts the simulator for the merchants (and agent) of `gateways.chaoying`, holding the given paid orders. */
export const startChaoyingSandbox: GatewaySandboxStarter<ChaoyingConfig, ChaoyingOptions> = async ({
  config,
  orders,
}) => {
  const sandbox = new ChaoyingSandbox({
    merchants: config.merchants,
    agentId: config.agentId,
    agentKey: config.agentKey,
  });
  await sandbox.start();
  try {
    for (const order of orders) {
      sandbox.seedOrder({
        merchantId: order.merchantId,
        outTradeNo: order.merchantOrderNo,
        transactionId: order.gatewayOrderNo,
        totalFee: order.totalAmount,
        payType: order.payMethod,
      });
    }
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  return {
    baseUrl: sandbox.baseUrl,
    moduleOptions: CHAOYING_SANDBOX_MODULE_OPTIONS,
    simulator: sandbox,
    stop: () => sandbox.stop(),
  };
};

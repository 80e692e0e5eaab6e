import type { GatewaySandboxStarter } from '@refundhub/gateway-kit';

import type { BaofooConfig } from '../baofoo.config';
import type { BaofooOptions } from '../baofoo.options';
import { BAOFOO_SANDBOX_ERRORS, BaofooSandbox } from './baofoo.sandbox';

/**
 * What `BaofooModule` must know to read this simulator's answers: its own refusal codes, named the way
 * an operator names the real gateway's in `gateways.baofoo`. They never reach a production
 * configuration; hosts add them only for `baseUrl: sandbox`.
 */
export const BAOFOO_SANDBOX_MODULE_OPTIONS: Pick<
  BaofooOptions,
  'failedErrorCodes' | 'busyErrorCodes' | 'notFoundErrorCodes'
> = {
  failedErrorCodes: [
    BAOFOO_SANDBOX_ERRORS.param,
    BAOFOO_SANDBOX_ERRORS.orderNotFound,
    BAOFOO_SANDBOX_ERRORS.amountExceeds,
    BAOFOO_SANDBOX_ERRORS.refundConflict,
  ],
  busyErrorCodes: [BAOFOO_SANDBOX_ERRORS.systemBusy],
  notFoundErrorCodes: [BAOFOO_SANDBOX_ERRORS.refundNotFound],
};

/** Starts the simulator for the merchants of `gateways.baofoo`, holding the given paid orders. */
export const startBaofooSandbox: GatewaySandboxStarter<BaofooConfig, BaofooOptions> = async ({ config, orders }) => {
  const sandbox = new BaofooSandbox({ merchants: config.merchants });
  await sandbox.start();
  for (const order of orders) {
    sandbox.seedOrder({
      merchantId: order.merchantId,
      orderNo: order.merchantOrderNo,
      gatewayOrderNo: order.gatewayOrderNo,
      totalAmount: order.totalAmount,
    });
  }
  return {
    baseUrl: sandbox.baseUrl,
    moduleOptions: BAOFOO_SANDBOX_MODULE_OPTIONS,
    simulator: sandbox,
    stop: () => sandbox.stop(),
  };
};

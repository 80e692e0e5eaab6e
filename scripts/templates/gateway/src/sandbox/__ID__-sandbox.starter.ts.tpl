import type { GatewaySandboxStarter } from '@refundhub/gateway-kit';

import type { __Id__Config } from '../__ID__.config';
import type { __Id__Options } from '../__ID__.options';
import { __ID_UPPER___SANDBOX_ERRORS, __Id__Sandbox } from './__ID__.sandbox';

/**
 * What `__Id__Module` must know to read this simulator's answers: its own refusal codes, named the way
 * an operator names the real gateway's in `gateways.__ID__`. They never reach a production
 * configuration; hosts add them only for `baseUrl: sandbox`.
 */
export const __ID_UPPER___SANDBOX_MODULE_OPTIONS: Pick<__Id__Options, 'failedErrorCodes' | 'busyErrorCodes' | 'notFoundErrorCodes'> = {
  failedErrorCodes: [
    __ID_UPPER___SANDBOX_ERRORS.param,
    __ID_UPPER___SANDBOX_ERRORS.orderNotFound,
    __ID_UPPER___SANDBOX_ERRORS.amountExceeds,
    __ID_UPPER___SANDBOX_ERRORS.refundConflict,
  ],
  busyErrorCodes: [__ID_UPPER___SANDBOX_ERRORS.systemBusy],
  notFoundErrorCodes: [__ID_UPPER___SANDBOX_ERRORS.refundNotFound],
};

/** Starts the simulator for the merchants of `gateways.__ID__`, holding the given paid orders. */
export const start__Id__Sandbox: GatewaySandboxStarter<__Id__Config, __Id__Options> = async ({ config, orders }) => {
  const sandbox = new __Id__Sandbox({ merchants: config.merchants });
  await sandbox.start();
  for (const order of orders) {
    sandbox.seedOrder({
      merchantId: order.merchantId,
      orderNo: order.merchantOrderNo,
      gatewayOrderNo: order.gatewayOrderNo,
      totalAmount: order.totalAmount,
    });
  }
  return { baseUrl: sandbox.baseUrl, moduleOptions: __ID_UPPER___SANDBOX_MODULE_OPTIONS, simulator: sandbox, stop: () => sandbox.stop() };
};

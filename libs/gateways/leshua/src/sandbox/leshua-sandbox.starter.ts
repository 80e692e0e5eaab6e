import type { GatewaySandboxStarter } from '@refundhub/gateway-kit';

import type { LeshuaConfig } from '../leshua.config';
import type { LeshuaOptions } from '../leshua.options';
import { LESHUA_SANDBOX_ERRORS } from './leshua-sandbox.ledger';
import { LeshuaSandbox } from './leshua.sandbox';

/**
 * What `LeshuaModule` must know to read this simulator's answers: its own error codes, named the
 * way an operator names the real gateway's in `gateways.leshua`. They never reach a production
 * configuration; hosts add them only for `baseUrl: sandbox`.
 */
export const LESHUA_SANDBOX_MODULE_OPTIONS: Pick<
  LeshuaOptions,
  'failedErrorCodes' | 'busyErrorCodes' | 'notFoundErrorCodes'
> = {
  failedErrorCodes: [
    LESHUA_SANDBOX_ERRORS.param,
    LESHUA_SANDBOX_ERRORS.orderNotFound,
    LESHUA_SANDBOX_ERRORS.amountExceeds,
    LESHUA_SANDBOX_ERRORS.refundIdConflict,
  ],
  busyErrorCodes: [LESHUA_SANDBOX_ERRORS.systemBusy],
  notFoundErrorCodes: [LESHUA_SANDBOX_ERRORS.refundNotFound],
};

/** Starts the simulator for the merchants of `gateways.leshua`, holding the given paid orders. */
export const startLeshuaSandbox: GatewaySandboxStarter<LeshuaConfig, LeshuaOptions> = async ({ config, orders }) => {
  const sandbox = new LeshuaSandbox({ merchants: config.merchants });
  await sandbox.start();
  for (const order of orders) {
    sandbox.seedOrder({
      merchantId: order.merchantId,
      thirdOrderId: order.merchantOrderNo,
      leshuaOrderId: order.gatewayOrderNo,
      totalAmount: order.totalAmount,
    });
  }
  return {
    baseUrl: sandbox.baseUrl,
    moduleOptions: LESHUA_SANDBOX_MODULE_OPTIONS,
    simulator: sandbox,
    stop: () => sandbox.stop(),
  };
};

import type { GatewaySandboxStarter } from '@refundhub/gateway-kit';

import type { UmfConfig } from '../umf.config';
import type { UmfOptions } from '../umf.options';
import { UMF_SANDBOX_ERRORS, UmfSandbox } from './umf.sandbox';

/**
 * What `UmfModule` must know to read this simulator's answers: its own refusal codes, named the way
 * an operator names the real gateway's in `gateways.umf`. They never reach a production
 * configuration; hosts add them only for `baseUrl: sandbox`.
 */
export const UMF_SANDBOX_MODULE_OPTIONS: Pick<
  UmfOptions,
  'failedErrorCodes' | 'busyErrorCodes' | 'notFoundErrorCodes'
> = {
  failedErrorCodes: [
    UMF_SANDBOX_ERRORS.param,
    UMF_SANDBOX_ERRORS.orderNotFound,
    UMF_SANDBOX_ERRORS.amountExceeds,
    UMF_SANDBOX_ERRORS.refundConflict,
  ],
  busyErrorCodes: [UMF_SANDBOX_ERRORS.systemBusy],
  notFoundErrorCodes: [UMF_SANDBOX_ERRORS.refundNotFound],
};

/** Starts the simulator for the merchants of `gateways.umf`, holding the given paid orders. */
export const startUmfSandbox: GatewaySandboxStarter<UmfConfig, UmfOptions> = async ({ config, orders }) => {
  const sandbox = new UmfSandbox({ merchants: config.merchants });
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
    moduleOptions: UMF_SANDBOX_MODULE_OPTIONS,
    simulator: sandbox,
    stop: () => sandbox.stop(),
  };
};

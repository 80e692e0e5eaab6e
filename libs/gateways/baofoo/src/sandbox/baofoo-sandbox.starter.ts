import type { GatewaySandboxStarter } from '@refundhub/gateway-kit';

import type { BaofooConfig } from '../baofoo.config';
import type { BaofooOptions } from '../baofoo.options';
import { BaofooSandbox } from './baofoo.sandbox';

/**
 * What `BaofooModule` must know to read this simulator's answers besides its public key: its own codes.
 * It answers only Baofoo's documented codes (`BAOFOO_SANDBOX_ERRORS`), which the module already lists, so
 * the lists are empty; hosts add them only for `baseUrl: sandbox`.
 */
export const BAOFOO_SANDBOX_MODULE_OPTIONS: Pick<
  BaofooOptions,
  'failedErrorCodes' | 'busyErrorCodes' | 'notFoundErrorCodes'
> = {
  failedErrorCodes: [],
  busyErrorCodes: [],
  notFoundErrorCodes: [],
};

/**
 * Starts the simulator for the merchants of `gateways.baofoo` (it verifies their requests with the public
 * half of each `privateKey`), holding the given paid orders, and hands the module its public key.
 */
export const startBaofooSandbox: GatewaySandboxStarter<BaofooConfig, BaofooOptions> = async ({ config, orders }) => {
  const sandbox = new BaofooSandbox({
    merchants: Object.fromEntries(
      Object.entries(config.merchants).map(([merId, merchant]) => [
        merId,
        { terId: merchant.terId, privateKey: merchant.privateKey },
      ]),
    ),
  });
  await sandbox.start();
  try {
    for (const order of orders) {
      sandbox.seedOrder({
        merchantId: order.merchantId,
        originOutTradeNo: order.merchantOrderNo,
        originTradeNo: order.gatewayOrderNo,
        totalAmount: order.totalAmount,
        paidAt: order.paidAt,
      });
    }
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  return {
    baseUrl: sandbox.baseUrl,
    moduleOptions: { platformPublicKey: sandbox.platformPublicKey, ...BAOFOO_SANDBOX_MODULE_OPTIONS },
    simulator: sandbox,
    stop: () => sandbox.stop(),
  };
};

import type { GatewaySandboxStarter } from '@refundhub/gateway-kit';

import type { UmfConfig } from '../umf.config';
import type { UmfOptions } from '../umf.options';
import { umfPayTypeOf } from '../umf.pay-type';
import { UMF_SANDBOX_ERRORS } from './umf-sandbox.ledger';
import { UmfSandbox } from './umf.sandbox';

/**
 * What `UmfModule` must know to read this simulator's answers: its own refusal codes (`SBX…`, see
 * `UMF_SANDBOX_ERRORS`), named the way an operator names the real gateway's in `gateways.umf`. Each
 * proves the sandbox refunded nothing; UMF never published such codes, so they never reach a
 * production configuration: hosts add them only for `baseUrl: sandbox`.
 */
export const UMF_SANDBOX_MODULE_OPTIONS: Pick<
  UmfOptions,
  'failedErrorCodes' | 'busyErrorCodes' | 'notFoundErrorCodes'
> = {
  failedErrorCodes: [
    UMF_SANDBOX_ERRORS.param,
    UMF_SANDBOX_ERRORS.merchant,
    UMF_SANDBOX_ERRORS.orderNotFound,
    UMF_SANDBOX_ERRORS.amountExceeds,
    UMF_SANDBOX_ERRORS.windowClosed,
    UMF_SANDBOX_ERRORS.refundConflict,
  ],
  busyErrorCodes: [],
  notFoundErrorCodes: [UMF_SANDBOX_ERRORS.refundNotFound],
};

/**
 * Starts the simulator for the merchants of `gateways.umf` (their public keys derived from their
 * `privateKey`), holding the given paid orders. The module verifies with the sandbox's own platform key,
 * given as the gateway-level `platformCertificate`.
 */
export const startUmfSandbox: GatewaySandboxStarter<UmfConfig, UmfOptions> = async ({ config, orders }) => {
  for (const [subMerId, merchant] of Object.entries(config.merchants)) {
    // A merchant's own certificate wins over the module's, and the sandbox signs with none but its own.
    if (merchant.platformCertificate) {
      throw new Error(
        `gateways.umf.merchants.${subMerId}.platformCertificate: leave it out with baseUrl: sandbox ` +
          '(the sandbox signs with a platform key of its own)',
      );
    }
  }
  const sandbox = new UmfSandbox({
    merchants: Object.fromEntries(
      Object.entries(config.merchants).map(([subMerId, m]) => [
        subMerId,
        { proxyId: m.proxyId, privateKey: m.privateKey },
      ]),
    ),
  });
  await sandbox.start();
  try {
    for (const order of orders) {
      sandbox.seedOrder({
        merchantId: order.merchantId,
        partnerOrderId: order.merchantOrderNo,
        amount: order.totalAmount,
        payType: umfPayTypeOf(order.payMethod),
        paidAt: order.paidAt,
      });
    }
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  return {
    baseUrl: sandbox.baseUrl,
    moduleOptions: { platformCertificate: sandbox.platformCertificate, ...UMF_SANDBOX_MODULE_OPTIONS },
    simulator: sandbox,
    stop: () => sandbox.stop(),
  };
};

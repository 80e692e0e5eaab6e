import { errorCodeListsShape, gatewayConfigSchema, SANDBOX_BASE_URL, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

import { baofooMerchantShape } from './baofoo.credentials';
import { BAOFOO_TXN_TIME_VARIANTS } from './baofoo.options';

/**
 * `gateways.baofoo` in the operator file: every option of {@link BaofooOptions}. The code lists add to
 * the codes the module documents (`BAOFOO_DOCUMENTED_ERROR_CODES`, `BAOFOO_DEFERRED_ERROR_CODES`).
 */
export const baofooConfigSchema = gatewayConfigSchema({
  merchant: z.strictObject(baofooMerchantShape),
  options: {
    /** Baofoo's public key for every merchant (a merchant's own `platformPublicKey` wins). */
    platformPublicKey: secret().optional(),
    /** `submission` (the refund's own time) or `paid_at` (the order's paid time). */
    txnTime: z.enum(BAOFOO_TXN_TIME_VARIANTS).default('submission'),
    deferredErrorCodes: z.array(z.string().min(1)).default([]),
    ...errorCodeListsShape(),
  },
}).superRefine((section, ctx) => {
  // The sandbox hands the module its own public key; a real gateway's must be configured.
  if (section.baseUrl === SANDBOX_BASE_URL || section.platformPublicKey !== undefined) return;
  for (const [merchantId, merchant] of Object.entries(section.merchants)) {
    if (merchant.platformPublicKey === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['merchants', merchantId, 'platformPublicKey'],
        message: "required (Baofoo's public key verifies answers), or set platformPublicKey for all merchants",
      });
    }
  }
});

export type BaofooConfig = z.output<typeof baofooConfigSchema>;
export type BaofooMerchantConfig = BaofooConfig['merchants'][string];

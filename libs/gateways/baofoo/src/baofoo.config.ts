import { errorCodeListsShape, gatewayConfigSchema } from '@refundhub/gateway-kit';
import { z } from 'zod';

import { baofooMerchantShape } from './baofoo.credentials';

/**
 * `gateways.baofoo` in the operator file: every option of {@link BaofooOptions}. The code lists are empty
 * by default: no code is assumed to mean "refused", "busy" or "not found" until the operator (or, once
 * the documentation is read, this default) names it.
 */
export const baofooConfigSchema = gatewayConfigSchema({
  merchant: z.strictObject(baofooMerchantShape),
  options: {
    ...errorCodeListsShape(),
  },
});

export type BaofooConfig = z.output<typeof baofooConfigSchema>;
export type BaofooMerchantConfig = BaofooConfig['merchants'][string];

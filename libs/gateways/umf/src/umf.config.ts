import { errorCodeListsShape, gatewayConfigSchema } from '@refundhub/gateway-kit';
import { z } from 'zod';

import { umfMerchantShape } from './umf.credentials';

/**
 * `gateways.umf` in the operator file: every option of {@link UmfOptions}. The code lists are empty
 * by default: no code is assumed to mean "refused", "busy" or "not found" until the operator (or, once
 * the documentation is read, this default) names it.
 */
export const umfConfigSchema = gatewayConfigSchema({
  merchant: z.strictObject(umfMerchantShape),
  options: {
    ...errorCodeListsShape(),
  },
});

export type UmfConfig = z.output<typeof umfConfigSchema>;
export type UmfMerchantConfig = UmfConfig['merchants'][string];

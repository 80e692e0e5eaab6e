import { errorCodeListsShape, gatewayConfigSchema } from '@refundhub/gateway-kit';
import { z } from 'zod';

import { __ID__MerchantShape } from './__ID__.credentials';

/**
 * `gateways.__ID__` in the operator file: every option of {@link __Id__Options}. The code lists are empty
 * by default: no code is assumed to mean "refused", "busy" or "not found" until the operator (or, once
 * the documentation is read, this default) names it.
 */
export const __ID__ConfigSchema = gatewayConfigSchema({
  merchant: z.strictObject(__ID__MerchantShape),
  options: {
    ...errorCodeListsShape(),
  },
});

export type __Id__Config = z.output<typeof __ID__ConfigSchema>;
export type __Id__MerchantConfig = __Id__Config['merchants'][string];

import { errorCodeListsShape, gatewayConfigSchema } from '@refundhub/gateway-kit';
import { z } from 'zod';

import { leshuaMerchantShape } from './leshua.credentials';

/**
 * `gateways.leshua` in the operator file: every option of {@link LeshuaOptions}, with the doc's
 * defaults. The error-code lists are empty by default: Leshua's error-code table was not available,
 * so no code is assumed to mean "refused", "busy" or "not found" until the operator names it.
 */
export const leshuaConfigSchema = gatewayConfigSchema({
  merchant: z.strictObject(leshuaMerchantShape),
  options: {
    responseVerification: z.enum(['auto', 'doc', 'skip-empty']).default('auto'),
    notifyKey: z.enum(['notify', 'trade']).default('notify'),
    notifyUrlEncoding: z.enum(['encoded', 'raw']).default('encoded'),
    ...errorCodeListsShape(),
  },
});

export type LeshuaConfig = z.output<typeof leshuaConfigSchema>;

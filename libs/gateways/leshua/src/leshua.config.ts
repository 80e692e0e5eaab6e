import { gatewayConfigSchema, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

const errorCodes = () => z.array(z.string().min(1)).default([]);

/**
 * `gateways.leshua` in the operator file: every option of {@link LeshuaOptions}, with the doc's
 * defaults. The error-code lists are empty by default: Leshua's error-code table was not available,
 * so no code is assumed to mean "refused", "busy" or "not found" until the operator names it.
 */
export const leshuaConfigSchema = gatewayConfigSchema({
  merchant: z.strictObject({
    /** 交易密钥: signs requests, verifies answers. */
    tradeKey: secret(),
    /** 异步通知密钥: verifies notifications. */
    notifyKey: secret(),
  }),
  options: {
    responseVerification: z.enum(['auto', 'doc', 'skip-empty']).default('auto'),
    notifyKey: z.enum(['notify', 'trade']).default('notify'),
    notifyUrlEncoding: z.enum(['encoded', 'raw']).default('encoded'),
    failedErrorCodes: errorCodes(),
    busyErrorCodes: errorCodes(),
    notFoundErrorCodes: errorCodes(),
  },
});

export type LeshuaConfig = z.output<typeof leshuaConfigSchema>;
export type LeshuaMerchantConfig = LeshuaConfig['merchants'][string];

import { errorCodeListsShape, gatewayConfigSchema, identifier, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

import { chaoyingMerchantShape } from './chaoying.credentials';

/**
 * `gateways.chaoying` in the operator file: every option of {@link ChaoyingOptions}. The code lists add
 * to the codes the module documents (`CHAOYING_DOCUMENTED_ERROR_CODES`).
 */
export const chaoyingConfigSchema = gatewayConfigSchema({
  merchant: z.strictObject(chaoyingMerchantShape),
  options: {
    /** v1 (`/UnifiedPay/Gateway`, signed with the agent key) when set; v2 (merchant keys) otherwise. */
    agentId: identifier().optional(),
    /** v1: the agent key once for all merchants (else each merchant's `key` is the agent key). */
    agentKey: secret().optional(),
    version: z.string().min(1).default('1.0'),
    pid: z.string().min(1).optional(),
    ...errorCodeListsShape(),
  },
}).superRefine((section, ctx) => {
  if (section.agentKey !== undefined && section.agentId === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['agentKey'],
      message: 'needs agentId: only the v1 endpoint signs with the agent key',
    });
  }
  if (section.agentKey !== undefined) return;
  for (const [merchantId, merchant] of Object.entries(section.merchants)) {
    if (merchant.key === undefined) {
      const why =
        section.agentId === undefined ? 'the merchant key signs v2 requests' : 'or set agentKey for all merchants';
      ctx.addIssue({ code: 'custom', path: ['merchants', merchantId, 'key'], message: `required (${why})` });
    }
  }
});

export type ChaoyingConfig = z.output<typeof chaoyingConfigSchema>;

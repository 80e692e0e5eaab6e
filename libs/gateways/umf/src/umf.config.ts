import { errorCodeListsShape, gatewayConfigSchema, identifier, SANDBOX_BASE_URL, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

import { umfMerchantShape } from './umf.credentials';
import { UMF_ANSWER_VARIANTS, UMF_NOTIFICATION_VARIANTS } from './umf.sign-variants';

/**
 * `gateways.umf` in the operator file: every option of {@link UmfOptions}. The code lists add to the
 * codes the module documents (`UMF_DOCUMENTED_ERROR_CODES`).
 */
export const umfConfigSchema = gatewayConfigSchema({
  merchant: z.strictObject(umfMerchantShape),
  options: {
    /** UMF's platform certificate (X.509 or SPKI PEM) once for all merchants; a merchant's own wins. */
    platformCertificate: secret().optional(),
    signatureHash: z.enum(['sha1', 'sha256']).default('sha1'),
    answerVerification: z.enum(['auto', ...UMF_ANSWER_VARIANTS]).default('auto'),
    notificationVerification: z.enum(['auto', ...UMF_NOTIFICATION_VARIANTS]).default('auto'),
    /** A notification's `merId` (联动商户号) → the `subMerId` its refunds are made under, where they differ. */
    notifyMerchantIds: z.record(identifier(), identifier()).default({}),
    ...errorCodeListsShape(),
  },
}).superRefine((section, ctx) => {
  // The simulator supplies its own platform key; anywhere else every merchant must end up with one.
  if (section.baseUrl === SANDBOX_BASE_URL || section.platformCertificate !== undefined) return;
  for (const [merchantId, merchant] of Object.entries(section.merchants)) {
    if (merchant.platformCertificate === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['merchants', merchantId, 'platformCertificate'],
        message: 'required (or set gateways.umf.platformCertificate for all merchants)',
      });
    }
  }
});

export type UmfConfig = z.output<typeof umfConfigSchema>;
export type UmfMerchantConfig = UmfConfig['merchants'][string];

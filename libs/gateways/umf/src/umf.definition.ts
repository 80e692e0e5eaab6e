import { defineGateway, errorCodeOptionsOf } from '@refundhub/gateway-kit';

import { umfConfigSchema } from './umf.config';
import { UMF_GATEWAY_ID } from './umf.credentials';
import { UmfModule } from './umf.module';

/** UMF as the standalone hosts install it: `gateways.umf` in the operator file, the module, the simulator. */
export const umfGateway = defineGateway({
  id: UMF_GATEWAY_ID,
  displayName: 'UMF (联动优势)',
  configSchema: umfConfigSchema,
  module: UmfModule,
  moduleOptions: (config, { baseUrl }) => ({
    baseUrl,
    timeoutMs: config.timeoutMs,
    platformCertificate: config.platformCertificate,
    signatureHash: config.signatureHash,
    answerVerification: config.answerVerification,
    notificationVerification: config.notificationVerification,
    notifyMerchantIds: config.notifyMerchantIds,
    ...errorCodeOptionsOf(config),
  }),
  // Loaded only for `baseUrl: sandbox`: the simulator's HTTP server stays out of production hosts.
  loadSandbox: async () => (await import('./sandbox/umf-sandbox.starter')).startUmfSandbox,
});

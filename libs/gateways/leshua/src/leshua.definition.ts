import { defineGateway, errorCodeOptionsOf } from '@refundhub/gateway-kit';

import { leshuaConfigSchema } from './leshua.config';
import { LESHUA_GATEWAY_ID } from './leshua.credentials';
import { LeshuaModule } from './leshua.module';

/** Leshua as the standalone hosts install it: `gateways.leshua` in the operator file, the module, the simulator. */
export const leshuaGateway = defineGateway({
  id: LESHUA_GATEWAY_ID,
  displayName: 'Leshua (乐刷)',
  configSchema: leshuaConfigSchema,
  module: LeshuaModule,
  moduleOptions: (config, { baseUrl }) => ({
    baseUrl,
    timeoutMs: config.timeoutMs,
    responseVerification: config.responseVerification,
    notifyKey: config.notifyKey,
    notifyUrlEncoding: config.notifyUrlEncoding,
    ...errorCodeOptionsOf(config),
  }),
  // Loaded only for `baseUrl: sandbox`: the simulator's HTTP server stays out of production hosts.
  loadSandbox: async () => (await import('./sandbox/leshua-sandbox.starter')).startLeshuaSandbox,
});

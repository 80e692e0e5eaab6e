import { defineGateway, errorCodeOptionsOf } from '@refundhub/gateway-kit';

import { baofooConfigSchema } from './baofoo.config';
import { BAOFOO_GATEWAY_ID } from './baofoo.credentials';
import { BaofooModule } from './baofoo.module';

/** Baofoo as the standalone hosts install it: `gateways.baofoo` in the operator file, the module, the simulator. */
export const baofooGateway = defineGateway({
  id: BAOFOO_GATEWAY_ID,
  displayName: 'Baofoo (宝付)',
  configSchema: baofooConfigSchema,
  module: BaofooModule,
  moduleOptions: (config, { baseUrl }) => ({
    baseUrl,
    timeoutMs: config.timeoutMs,
    platformPublicKey: config.platformPublicKey,
    txnTime: config.txnTime,
    deferredErrorCodes: config.deferredErrorCodes,
    ...errorCodeOptionsOf(config),
  }),
  // Loaded only for `baseUrl: sandbox`: the simulator's HTTP server stays out of production hosts.
  loadSandbox: async () => (await import('./sandbox/baofoo-sandbox.starter')).startBaofooSandbox,
});

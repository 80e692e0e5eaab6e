import { defineGateway, errorCodeOptionsOf } from '@refundhub/gateway-kit';

import { baofooConfigSchema } from './baofoo.config';
import { BAOFOO_GATEWAY_ID } from './baofoo.credentials';
import { BaofooModule } from './baofoo.module';

/** Baofoo as the standalone hosts install it: `gateways.baofoo` in the operator file, the module, the simulator. */
export const baofooGateway = defineGateway({
  id: BAOFOO_GATEWAY_ID,
  // TODO: the gateway's name for people, e.g. 'Leshua (乐刷)'.
  displayName: 'Baofoo',
  configSchema: baofooConfigSchema,
  module: BaofooModule,
  moduleOptions: (config, { baseUrl }) => ({
    baseUrl,
    timeoutMs: config.timeoutMs,
    ...errorCodeOptionsOf(config),
  }),
  // Loaded only for `baseUrl: sandbox`: the simulator's HTTP server stays out of production hosts.
  loadSandbox: async () => (await import('./sandbox/baofoo-sandbox.starter')).startBaofooSandbox,
});

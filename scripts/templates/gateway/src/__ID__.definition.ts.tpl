import { defineGateway, errorCodeOptionsOf } from '@refundhub/gateway-kit';

import { __ID__ConfigSchema } from './__ID__.config';
import { __ID_UPPER___GATEWAY_ID } from './__ID__.credentials';
import { __Id__Module } from './__ID__.module';

/** __Id__ as the standalone hosts install it: `gateways.__ID__` in the operator file, the module, the simulator. */
export const __ID__Gateway = defineGateway({
  id: __ID_UPPER___GATEWAY_ID,
  // TODO: the gateway's name for people, e.g. 'Leshua (乐刷)'.
  displayName: '__Id__',
  configSchema: __ID__ConfigSchema,
  module: __Id__Module,
  moduleOptions: (config, { baseUrl }) => ({
    baseUrl,
    timeoutMs: config.timeoutMs,
    ...errorCodeOptionsOf(config),
  }),
  // Loaded only for `baseUrl: sandbox`: the simulator's HTTP server stays out of production hosts.
  loadSandbox: async () => (await import('./sandbox/__ID__-sandbox.starter')).start__Id__Sandbox,
});

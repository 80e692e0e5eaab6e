import { defineGateway, errorCodeOptionsOf } from '@refundhub/gateway-kit';

import { chaoyingConfigSchema } from './chaoying.config';
import { CHAOYING_GATEWAY_ID } from './chaoying.credentials';
import { ChaoyingModule } from './chaoying.module';

/** ChaoYing as the standalone hosts install it: `gateways.chaoying` in the operator file, the module, the simulator. */
export const chaoyingGateway = defineGateway({
  id: CHAOYING_GATEWAY_ID,
  displayName: 'ChaoYing (超赢)',
  configSchema: chaoyingConfigSchema,
  module: ChaoyingModule,
  moduleOptions: (config, { baseUrl }) => ({
    baseUrl,
    timeoutMs: config.timeoutMs,
    agentId: config.agentId,
    agentKey: config.agentKey,
    version: config.version,
    pid: config.pid,
    ...errorCodeOptionsOf(config),
  }),
  // Loaded only for `baseUrl: sandbox`: the simulator's HTTP server stays out of production hosts.
  loadSandbox: async () => (await import('./sandbox/chaoying-sandbox.starter')).startChaoyingSandbox,
});

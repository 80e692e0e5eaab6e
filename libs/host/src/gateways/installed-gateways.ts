import type { GatewayDefinition } from '@refundhub/gateway-kit';
import { leshuaGateway } from '@refundhub/leshua';
import { chaoyingGateway } from '@refundhub/chaoying';
import { umfGateway } from '@refundhub/umf';
import { baofooGateway } from '@refundhub/baofoo';

/**
 * Every gateway the standalone hosts can run: the operator schema, the sandboxes and the modules
 * are built from this list. Adding a gateway is its package plus one line here.
 */
export const INSTALLED_GATEWAYS: readonly GatewayDefinition[] = [
  leshuaGateway,
  chaoyingGateway,
  umfGateway,
  baofooGateway,
];

export function installedGatewayIds(): string[] {
  return INSTALLED_GATEWAYS.map((definition) => definition.id);
}

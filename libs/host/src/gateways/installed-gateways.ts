import type { GatewayDefinition } from '@refundhub/gateway-kit';
import { leshuaGateway } from '@refundhub/leshua';
import { chaoyingGateway } from '@refundhub/chaoying';

/**
 * Every gateway the standalone hosts can run: the operator schema, the sandboxes and the modules
 * are built from this list. Adding a gateway is its package plus one line here.
 */
export const INSTALLED_GATEWAYS: readonly GatewayDefinition[] = [leshuaGateway, chaoyingGateway];

export function installedGatewayIds(): string[] {
  return INSTALLED_GATEWAYS.map((definition) => definition.id);
}

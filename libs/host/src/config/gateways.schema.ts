import type { GatewayConfigBase, GatewayDefinition } from '@refundhub/gateway-kit';
import { z } from 'zod';

import { INSTALLED_GATEWAYS } from '../gateways/installed-gateways';

/** `gateways.<id>` sections: each installed gateway's own schema, which sets every option of its module. */
export function gatewaysSchema(definitions: readonly GatewayDefinition[] = INSTALLED_GATEWAYS) {
  const ids = definitions.map((definition) => definition.id);
  const shape = Object.fromEntries(
    definitions.map((definition) => [definition.id, definition.configSchema.optional()]),
  );
  // A catch-all that refuses, rather than a refinement: refinements are skipped once any field is
  // invalid, and the operator should see every problem in one run.
  const notInstalled = z.custom<never>(() => false, {
    message: `not installed in this build (installed: ${ids.join(', ')})`,
  });
  return z
    .object(shape)
    .catchall(notInstalled)
    .superRefine((gateways, ctx) => {
      if (!ids.some((id) => gateways[id] !== undefined)) {
        ctx.addIssue({ code: 'custom', message: `configure at least one gateway (${ids.join(', ')})` });
      }
    })
    .transform((gateways) => gateways as Readonly<Record<string, GatewayConfigBase | undefined>>);
}

export type GatewaysConfig = Readonly<Record<string, GatewayConfigBase | undefined>>;

import { Injectable } from '@nestjs/common';
import { CredentialsProvider } from '@refundhub/core';
import { GatewayCredentials } from '@refundhub/gateway-kit';
import { z } from 'zod';

import type { LeshuaMerchantCredentials } from './leshua.types';

export const LESHUA_GATEWAY_ID = 'leshua';

const leshuaCredentialsSchema: z.ZodType<LeshuaMerchantCredentials> = z.object({
  tradeKey: z.string().min(1),
  notifyKey: z.string().min(1),
});

/** A merchant's Leshua keys, shape-checked. Never logged. */
@Injectable()
export class LeshuaCredentials extends GatewayCredentials<LeshuaMerchantCredentials> {
  constructor(provider: CredentialsProvider) {
    super({ gatewayId: LESHUA_GATEWAY_ID, gateway: 'Leshua', provider, schema: leshuaCredentialsSchema });
  }
}

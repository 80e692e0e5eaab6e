import { Injectable } from '@nestjs/common';
import { CredentialsProvider } from '@refundhub/core';
import { GatewayCredentials, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

import type { LeshuaMerchantCredentials } from './leshua.types';

export const LESHUA_GATEWAY_ID = 'leshua';

/** A merchant's keys: the shape of `gateways.leshua.merchants.<id>` and of what a CredentialsProvider returns. */
export const leshuaMerchantShape = {
  /** 交易密钥: signs requests, verifies answers. */
  tradeKey: secret(),
  /** 异步通知密钥: verifies notifications. */
  notifyKey: secret(),
};

// Not strict: a host's own vault may keep more beside the keys.
const leshuaCredentialsSchema: z.ZodType<LeshuaMerchantCredentials> = z.object(leshuaMerchantShape);

/** A merchant's Leshua keys, shape-checked. Never logged. */
@Injectable()
export class LeshuaCredentials extends GatewayCredentials<LeshuaMerchantCredentials> {
  constructor(provider: CredentialsProvider) {
    super({ gatewayId: LESHUA_GATEWAY_ID, gateway: 'Leshua', provider, schema: leshuaCredentialsSchema });
  }
}

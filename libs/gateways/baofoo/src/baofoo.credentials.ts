import { Injectable } from '@nestjs/common';
import { CredentialsProvider } from '@refundhub/core';
import { GatewayCredentials, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

import type { BaofooMerchantCredentials } from './baofoo.types';

export const BAOFOO_GATEWAY_ID = 'baofoo';

/** A merchant's secrets: the shape of `gateways.baofoo.merchants.<id>` and of what a CredentialsProvider returns. */
export const baofooMerchantShape = {
  /** Signs requests, verifies answers. TODO: the merchant secrets Baofoo really uses. */
  key: secret(),
};

// Not strict: a host's own vault may keep more beside the keys.
const baofooCredentialsSchema: z.ZodType<BaofooMerchantCredentials> = z.object(baofooMerchantShape);

/** A merchant's Baofoo keys, shape-checked. Never logged. */
@Injectable()
export class BaofooCredentials extends GatewayCredentials<BaofooMerchantCredentials> {
  constructor(provider: CredentialsProvider) {
    super({ gatewayId: BAOFOO_GATEWAY_ID, gateway: 'Baofoo', provider, schema: baofooCredentialsSchema });
  }
}

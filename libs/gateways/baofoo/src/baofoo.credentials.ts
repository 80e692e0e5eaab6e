import { Injectable } from '@nestjs/common';
import { CredentialsProvider } from '@refundhub/core';
import { GatewayCredentials, identifier, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

import type { BaofooMerchantCredentials } from './baofoo.types';

export const BAOFOO_GATEWAY_ID = 'baofoo';

/**
 * A merchant's ids and keys: the shape of `gateways.baofoo.merchants.<merId>` and of what a
 * CredentialsProvider returns (see {@link BaofooMerchantCredentials}).
 */
export const baofooMerchantShape = {
  terId: identifier().max(16),
  privateKey: secret(),
  platformPublicKey: secret().optional(),
  signSn: identifier().max(10).default('1'),
  ncrptnSn: identifier().max(10).default('1'),
};

// Not strict: a host's own vault may keep more beside the keys.
const baofooCredentialsSchema: z.ZodType<BaofooMerchantCredentials> = z.object(baofooMerchantShape);

/** A merchant's Baofoo ids and keys, shape-checked. Never logged. */
@Injectable()
export class BaofooCredentials extends GatewayCredentials<BaofooMerchantCredentials> {
  constructor(provider: CredentialsProvider) {
    super({ gatewayId: BAOFOO_GATEWAY_ID, gateway: 'Baofoo', provider, schema: baofooCredentialsSchema });
  }
}

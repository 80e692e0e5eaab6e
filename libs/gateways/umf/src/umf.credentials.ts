import { Injectable } from '@nestjs/common';
import { CredentialsProvider } from '@refundhub/core';
import { GatewayCredentials, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

import type { UmfMerchantCredentials } from './umf.types';

export const UMF_GATEWAY_ID = 'umf';

/** A merchant's secrets: the shape of `gateways.umf.merchants.<id>` and of what a CredentialsProvider returns. */
export const umfMerchantShape = {
  /** Signs requests, verifies answers. TODO: the merchant secrets Umf really uses. */
  key: secret(),
};

// Not strict: a host's own vault may keep more beside the keys.
const umfCredentialsSchema: z.ZodType<UmfMerchantCredentials> = z.object(umfMerchantShape);

/** A merchant's Umf keys, shape-checked. Never logged. */
@Injectable()
export class UmfCredentials extends GatewayCredentials<UmfMerchantCredentials> {
  constructor(provider: CredentialsProvider) {
    super({ gatewayId: UMF_GATEWAY_ID, gateway: 'Umf', provider, schema: umfCredentialsSchema });
  }
}

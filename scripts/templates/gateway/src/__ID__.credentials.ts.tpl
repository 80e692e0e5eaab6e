import { Injectable } from '@nestjs/common';
import { CredentialsProvider } from '@refundhub/core';
import { GatewayCredentials, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

import type { __Id__MerchantCredentials } from './__ID__.types';

export const __ID_UPPER___GATEWAY_ID = '__ID__';

/** A merchant's secrets: the shape of `gateways.__ID__.merchants.<id>` and of what a CredentialsProvider returns. */
export const __ID__MerchantShape = {
  /** Signs requests, verifies answers. TODO: the merchant secrets __Id__ really uses. */
  key: secret(),
};

// Not strict: a host's own vault may keep more beside the keys.
const __ID__CredentialsSchema: z.ZodType<__Id__MerchantCredentials> = z.object(__ID__MerchantShape);

/** A merchant's __Id__ keys, shape-checked. Never logged. */
@Injectable()
export class __Id__Credentials extends GatewayCredentials<__Id__MerchantCredentials> {
  constructor(provider: CredentialsProvider) {
    super({ gatewayId: __ID_UPPER___GATEWAY_ID, gateway: '__Id__', provider, schema: __ID__CredentialsSchema });
  }
}

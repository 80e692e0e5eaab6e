import { Injectable } from '@nestjs/common';
import { CredentialsProvider } from '@refundhub/core';
import { GatewayCredentials, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

import type { ChaoyingMerchantCredentials } from './chaoying.types';

export const CHAOYING_GATEWAY_ID = 'chaoying';

/** A merchant's secrets: the shape of `gateways.chaoying.merchants.<id>` and of what a CredentialsProvider returns. */
export const chaoyingMerchantShape = {
  /**
   * The key that signs this merchant's requests and verifies the answers: the merchant's own key on v2,
   * the agent's key on v1. On v1 it may be left out when `agentKey` gives the agent key for all merchants.
   */
  key: secret().optional(),
};

// Not strict: a host's own vault may keep more beside the keys.
const chaoyingCredentialsSchema: z.ZodType<ChaoyingMerchantCredentials> = z.object(chaoyingMerchantShape);

/** A merchant's ChaoYing keys, shape-checked. Never logged. */
@Injectable()
export class ChaoyingCredentials extends GatewayCredentials<ChaoyingMerchantCredentials> {
  constructor(provider: CredentialsProvider) {
    super({ gatewayId: CHAOYING_GATEWAY_ID, gateway: 'ChaoYing', provider, schema: chaoyingCredentialsSchema });
  }
}

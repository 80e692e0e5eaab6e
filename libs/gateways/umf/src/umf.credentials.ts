import { Injectable } from '@nestjs/common';
import { CredentialsProvider } from '@refundhub/core';
import { GatewayCredentials, identifier, secret } from '@refundhub/gateway-kit';
import { z } from 'zod';

import type { UmfMerchantCredentials } from './umf.types';

export const UMF_GATEWAY_ID = 'umf';

/**
 * A merchant's ids and keys, by its `subMerId`: the shape of `gateways.umf.merchants.<subMerId>` and of
 * what a CredentialsProvider returns.
 */
export const umfMerchantShape = {
  /** 集成商ID (4), sent with every call. */
  proxyId: identifier(),
  /** The merchant's RSA private key PEM (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`). */
  privateKey: secret(),
  /** UMF's platform certificate or SPKI public key PEM, when not given once for all at the gateway level. */
  platformCertificate: secret().optional(),
};

// Not strict: a host's own vault may keep more beside the keys.
const umfCredentialsSchema: z.ZodType<UmfMerchantCredentials> = z.object(umfMerchantShape);

/** A merchant's UMF keys, shape-checked. Never logged. */
@Injectable()
export class UmfCredentials extends GatewayCredentials<UmfMerchantCredentials> {
  constructor(provider: CredentialsProvider) {
    super({ gatewayId: UMF_GATEWAY_ID, gateway: 'UMF', provider, schema: umfCredentialsSchema });
  }
}

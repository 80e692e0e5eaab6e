import { z } from 'zod';

import { baseUrl, identifier, integer, secret } from './schema-primitives';

/** Gateway ids, as used in `gateways.<id>`, API key scopes and `/notify/<id>`. */
export const GATEWAY_IDS = ['leshua', 'chaoying', 'umf', 'baofoo'] as const;
export type GatewayId = (typeof GATEWAY_IDS)[number];

/** Merchant ids are the gateway's own, kept as written (leading zeros matter). */
function merchants<T extends z.ZodType>(merchant: T) {
  return z
    .record(z.string().min(1, { message: 'merchant id must not be empty' }), merchant)
    .refine((map) => Object.keys(map).length > 0, { message: 'configure at least one merchant' });
}

const common = {
  baseUrl: baseUrl(),
  timeoutMs: integer(1).default(10_000),
};

export const leshuaMerchantSchema = z.strictObject({
  tradeKey: secret(),
  notifyKey: secret(),
});

export const leshuaGatewaySchema = z.strictObject({
  ...common,
  /**
   * How response signatures are checked; the doc and the public SDKs disagree on empty
   * values (gateways/PROTOCOLS.md): `doc` = the doc's rule only, `skip-empty` = the SDKs'
   * rule only, `auto` = the doc's rule, then the SDKs' rule, logging which one matched.
   */
  responseVerification: z.enum(['doc', 'skip-empty', 'auto']).default('auto'),
  /** Which merchant key verifies notifications: the PHP SDK uses the trade key. */
  notifyKey: z.enum(['notify', 'trade']).default('notify'),
  /** Whether `notify_url` is sent URL-encoded before signing (what every public client does). */
  notifyUrlEncoding: z.enum(['encoded', 'raw']).default('encoded'),
  merchants: merchants(leshuaMerchantSchema),
});

export const chaoyingMerchantSchema = z.strictObject({
  key: secret(),
});

export const chaoyingGatewaySchema = z.strictObject({
  ...common,
  /** The v1 endpoint signs with the agent's key, so the agent id belongs to the gateway. */
  agentId: identifier(),
  merchants: merchants(chaoyingMerchantSchema),
});

export const umfMerchantSchema = z.strictObject({
  proxyId: identifier(),
  privateKey: secret(),
  platformCertificate: secret(),
});

export const umfGatewaySchema = z.strictObject({
  ...common,
  merchants: merchants(umfMerchantSchema),
});

export const baofooMerchantSchema = z.strictObject({
  terId: identifier(),
  privateKey: secret(),
  platformPublicKey: secret(),
  signSn: identifier(),
  ncrptnSn: identifier(),
});

export const baofooGatewaySchema = z.strictObject({
  ...common,
  merchants: merchants(baofooMerchantSchema),
});

export const gatewaysSchema = z
  .strictObject({
    leshua: leshuaGatewaySchema.optional(),
    chaoying: chaoyingGatewaySchema.optional(),
    umf: umfGatewaySchema.optional(),
    baofoo: baofooGatewaySchema.optional(),
  })
  .refine((gateways) => GATEWAY_IDS.some((id) => gateways[id] !== undefined), {
    message: `configure at least one gateway (${GATEWAY_IDS.join(', ')})`,
  });

export type LeshuaMerchantConfig = z.output<typeof leshuaMerchantSchema>;
export type LeshuaGatewayConfig = z.output<typeof leshuaGatewaySchema>;
export type ChaoyingMerchantConfig = z.output<typeof chaoyingMerchantSchema>;
export type ChaoyingGatewayConfig = z.output<typeof chaoyingGatewaySchema>;
export type UmfMerchantConfig = z.output<typeof umfMerchantSchema>;
export type UmfGatewayConfig = z.output<typeof umfGatewaySchema>;
export type BaofooMerchantConfig = z.output<typeof baofooMerchantSchema>;
export type BaofooGatewayConfig = z.output<typeof baofooGatewaySchema>;
export type GatewaysConfig = z.output<typeof gatewaysSchema>;

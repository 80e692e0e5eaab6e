import { z } from 'zod';

import { baseUrl, duration, integer, positiveNumber } from './schema-primitives';

/** What every `gateways.<id>` section of the operator file has, whatever the gateway. */
export interface GatewayConfigBase {
  /** The gateway's origin, or `sandbox` for the built-in simulator. */
  baseUrl: string;
  /** Per-call HTTP timeout. */
  timeoutMs: number;
  /** This gateway's own sync schedule and concurrency, over the scheduler's. */
  sync?: { backoff?: number[]; concurrency?: number };
  /**
   * Secrets and ids per merchant id (kept as written: leading zeros matter), and each merchant's
   * `rateLimitPerSecond` for sync calls, which the host keeps out of the credentials.
   */
  merchants: Record<string, Record<string, unknown>>;
}

/** `gateways.<id>.sync`: durations as `duration()` reads them. */
export const gatewaySyncSchema = z.strictObject({
  backoff: z.array(duration()).min(1).optional(),
  concurrency: integer(1).optional(),
});

/** A map of merchants by their gateway-assigned id, at least one. */
export function merchantsSchema<T extends z.ZodType>(merchant: T) {
  return z
    .record(z.string().min(1, { message: 'merchant id must not be empty' }), merchant)
    .refine((map) => Object.keys(map).length > 0, { message: 'configure at least one merchant' });
}

/** The operator's error codes by meaning (see `ErrorCodeOptions`); none is assumed by default. */
export function errorCodeListsShape() {
  const list = () => z.array(z.string().min(1)).default([]);
  return { failedErrorCodes: list(), busyErrorCodes: list(), notFoundErrorCodes: list() };
}

/**
 * The schema of one gateway's section: `baseUrl`, `timeoutMs`, `sync` and `merchants` (with the
 * gateway's merchant schema and `rateLimitPerSecond`), plus the gateway's own options. Strict: an
 * unknown key is a problem, not something silently ignored.
 */
export function gatewayConfigSchema<M extends z.ZodObject, O extends z.ZodRawShape>(shape: {
  merchant: M;
  options: O;
}) {
  // extend() on a generic object schema loses its field types; this is what it produces.
  const merchant = shape.merchant.extend({ rateLimitPerSecond: positiveNumber().optional() }) as unknown as z.ZodType<
    z.output<M> & { rateLimitPerSecond?: number },
    z.input<M> & { rateLimitPerSecond?: unknown }
  >;
  return z.strictObject({
    baseUrl: baseUrl(),
    timeoutMs: integer(1).default(10_000),
    ...shape.options,
    sync: gatewaySyncSchema.optional(),
    merchants: merchantsSchema(merchant),
  });
}

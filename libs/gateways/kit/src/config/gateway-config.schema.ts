import { z } from 'zod';

import { baseUrl, integer } from './schema-primitives';

/** What every `gateways.<id>` section of the operator file has, whatever the gateway. */
export interface GatewayConfigBase {
  /** The gateway's origin, or `sandbox` for the built-in simulator. */
  baseUrl: string;
  /** Per-call HTTP timeout. */
  timeoutMs: number;
  /** Secrets and ids per merchant id (kept as written: leading zeros matter). */
  merchants: Record<string, Record<string, unknown>>;
}

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
 * The schema of one gateway's section: `baseUrl`, `timeoutMs` and `merchants` (with the gateway's
 * merchant schema), plus the gateway's own options. Strict: an unknown key is a problem, not
 * something silently ignored.
 */
export function gatewayConfigSchema<M extends z.ZodType, O extends z.ZodRawShape>(shape: { merchant: M; options: O }) {
  return z.strictObject({
    baseUrl: baseUrl(),
    timeoutMs: integer(1).default(10_000),
    ...shape.options,
    merchants: merchantsSchema(shape.merchant),
  });
}

import type { CredentialsProvider } from '@refundhub/core';
import type { z } from 'zod';

/**
 * A merchant's secrets for one gateway, looked up through core's {@link CredentialsProvider} and
 * checked against the gateway's zod schema, so an adapter works with typed keys and a misconfigured
 * merchant fails loudly instead of signing with `undefined`.
 *
 * Not injectable itself: a gateway module provides one with a factory, e.g.
 * `{ provide: LeshuaCredentials, useFactory: (p) => new GatewayCredentials({ ... provider: p }), inject: [CredentialsProvider] }`.
 * Errors name the merchant, the fields and zod's messages, never a value.
 *
 * @typeParam T the credentials the schema produces.
 */
export class GatewayCredentials<T> {
  private readonly gatewayId: string;
  private readonly gateway: string;
  private readonly provider: CredentialsProvider;
  private readonly schema: z.ZodType<T>;

  constructor(options: {
    /** The id credentials are stored under: `leshua`. */
    gatewayId: string;
    /** Display name for errors: `Leshua`. */
    gateway: string;
    provider: CredentialsProvider;
    schema: z.ZodType<T>;
  }) {
    this.gatewayId = options.gatewayId;
    this.gateway = options.gateway;
    this.provider = options.provider;
    this.schema = options.schema;
  }

  /** The merchant's credentials; `undefined` for an unknown merchant; throws when they are misconfigured. */
  async find(merchantId: string): Promise<T | undefined> {
    const raw = await this.provider.get(this.gatewayId, merchantId);
    if (raw === undefined) return undefined;
    // Synchronous (a credentials schema checks shapes only): it runs before every call to the gateway.
    const parsed = this.schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map((issue) => `${fieldName(issue.path)} (${issue.message})`);
    throw new Error(`${this.gateway} credentials of merchant ${merchantId} are misconfigured: ${problems.join('; ')}`);
  }

  /** For submit and query, where the core has already checked that the merchant exists. */
  async get(merchantId: string): Promise<T> {
    const credentials = await this.find(merchantId);
    if (credentials === undefined) throw new Error(`No ${this.gateway} credentials for merchant ${merchantId}`);
    return credentials;
  }
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(credentials)' : path.map((part) => String(part)).join('.');
}

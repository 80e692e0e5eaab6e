import type { MerchantScope } from '@refundhub/core';

/** Injection token for the API keys the app accepts (`ApiKeyRecord[]`). */
export const API_KEYS = Symbol('API_KEYS');

/** One bearer key as configured: only its SHA-256 is kept, so a leaked config is not a leaked key. */
export interface ApiKeyRecord {
  /** Operator-facing name, safe to log. */
  name: string;
  /** SHA-256 of the key, as hex. */
  sha256: string;
  /** The merchants this key may see and act for. */
  scope: MerchantScope;
  /** What it may do beyond its merchants' refunds (`api.keys[].scopes`); none when absent. */
  scopes?: readonly ApiKeyScope[];
}

/** `operator`: the key may settle a refund by hand (`POST /refunds/:id/resolve`). */
export type ApiKeyScope = 'operator';

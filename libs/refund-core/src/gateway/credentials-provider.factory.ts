import { SystemClock } from '../domain/clock';
import type { RefundModuleOptions } from '../refund-module.options';
import { CachedCredentialsProvider } from './cached-credentials-provider';
import { CredentialsProvider, StaticCredentialsProvider } from './credentials-provider';

/** How long a host provider's answer is kept when `credentialsCacheTtlMs` does not say. */
export const DEFAULT_CREDENTIALS_CACHE_TTL_MS = 60_000;

/**
 * The module's CredentialsProvider: the configured map as it is (already in memory), or the host's
 * own provider behind a cache of `credentialsCacheTtlMs` (0 asks the host on every refund).
 */
export function credentialsProviderFrom(options: RefundModuleOptions): CredentialsProvider {
  const { credentials } = options;
  if (!(credentials instanceof CredentialsProvider)) return new StaticCredentialsProvider(credentials);
  const ttlMs = options.credentialsCacheTtlMs ?? DEFAULT_CREDENTIALS_CACHE_TTL_MS;
  if (!(Number.isInteger(ttlMs) && ttlMs >= 0)) {
    throw new Error('RefundModule option credentialsCacheTtlMs must be a whole number of milliseconds, 0 or more');
  }
  if (ttlMs === 0) return credentials;
  return new CachedCredentialsProvider({ source: credentials, ttlMs, clock: options.clock ?? new SystemClock() });
}

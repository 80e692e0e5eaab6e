import type { Clock } from '../domain/clock';
import { CredentialsProvider, type MerchantCredentials } from './credentials-provider';

type CacheEntry = { readonly credentials: Promise<MerchantCredentials | undefined>; readonly expiresAt: number };

/**
 * A host's provider (a vault, a database) asked at most once per merchant per `ttlMs`: every refund
 * resolves its merchant's secrets, and a busy order would otherwise ask the vault on each call.
 *
 * Lookups in flight are shared, so a burst of refunds of one merchant asks once. A merchant the
 * source does not know, and a lookup that fails, are not kept: a merchant added to the vault is
 * found on the next refund, and a vault outage is retried rather than remembered.
 */
export class CachedCredentialsProvider extends CredentialsProvider {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(
    private readonly params: { readonly source: CredentialsProvider; readonly ttlMs: number; readonly clock: Clock },
  ) {
    super();
  }

  get(gateway: string, merchantId: string): Promise<MerchantCredentials | undefined> {
    const key = JSON.stringify([gateway, merchantId]);
    const now = this.params.clock.now().getTime();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.credentials;

    const credentials = this.params.source.get(gateway, merchantId);
    const entry: CacheEntry = { credentials, expiresAt: now + this.params.ttlMs };
    this.entries.set(key, entry);
    const forget = () => {
      // Only this lookup's own entry: a newer one may have replaced it meanwhile.
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    credentials.then((found) => (found === undefined ? forget() : undefined), forget);
    return credentials;
  }

  /** Drops what is kept of one merchant (after a key rotation), or of every merchant. */
  forget(which?: { gateway: string; merchantId: string }): void {
    if (which) this.entries.delete(JSON.stringify([which.gateway, which.merchantId]));
    else this.entries.clear();
  }
}

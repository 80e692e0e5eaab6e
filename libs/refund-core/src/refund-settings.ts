import { DEFAULT_SYNC_BACKOFF_MS } from './domain/backoff';
import type { RefundModuleOptions, ResolvedSyncOptions } from './refund-module.options';

/** {@link RefundModuleOptions} with defaults applied, checked once at start-up. */
export class RefundSettings {
  private constructor(
    readonly notifyBaseUrl: string | null,
    readonly gatewayCallTimeoutMs: number,
    readonly sync: ResolvedSyncOptions,
    /** How long a refund holds its order's submission slot (serial gateways) without an answer. */
    readonly orderSlotLeaseMs: number,
    /** How long a claim on a refund's gateway work lasts without an answer (see RefundClaims). */
    readonly claimLeaseMs: number,
  ) {}

  static from(options: Pick<RefundModuleOptions, 'notifyBaseUrl' | 'gatewayCallTimeoutMs' | 'sync'>): RefundSettings {
    const sync: ResolvedSyncOptions = {
      backoffMs: options.sync?.backoffMs ?? DEFAULT_SYNC_BACKOFF_MS,
      requestedGraceMs: options.sync?.requestedGraceMs ?? 60_000,
      batchSize: options.sync?.batchSize ?? 50,
      concurrencyPerGateway: options.sync?.concurrencyPerGateway ?? 4,
    };
    const timeout = options.gatewayCallTimeoutMs ?? 30_000;
    const positive = (name: string, value: number) => {
      if (!Number.isFinite(value) || value <= 0)
        throw new Error(`RefundModule option ${name} must be positive, got ${value}`);
    };
    positive('gatewayCallTimeoutMs', timeout);
    positive('sync.batchSize', sync.batchSize);
    positive('sync.concurrencyPerGateway', sync.concurrencyPerGateway);
    if (sync.requestedGraceMs < 0) throw new Error('RefundModule option sync.requestedGraceMs must not be negative');
    if (sync.backoffMs.length === 0 || sync.backoffMs.some((ms) => !(ms > 0))) {
      throw new Error('RefundModule option sync.backoffMs must be a non-empty list of positive delays');
    }
    const base = options.notifyBaseUrl ? options.notifyBaseUrl.replace(/\/+$/, '') : null;
    // Twice the longest call: a live submission always answers (or times out) well within it.
    return new RefundSettings(base, timeout, sync, 2 * timeout, 2 * timeout);
  }

  /** Where a gateway should send its notifications, or null when refunds settle by query alone. */
  gatewayNotifyUrl(gateway: string): string | null {
    return this.notifyBaseUrl ? `${this.notifyBaseUrl}/notify/${encodeURIComponent(gateway)}` : null;
  }
}

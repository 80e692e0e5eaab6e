import { DEFAULT_SYNC_BACKOFF_MS, DEFAULT_SYNC_EXHAUST_AFTER_MS, DEFAULT_SYNC_JITTER } from './domain/backoff';
import type { RefundModuleOptions, ResolvedOutboxOptions, ResolvedSyncOptions } from './refund-module.options';

/** Listener retries: seconds first, then up to an hour apart. */
export const DEFAULT_OUTBOX_BACKOFF_MS: readonly number[] = [
  1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000,
];

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
    readonly outbox: ResolvedOutboxOptions,
  ) {}

  static from(
    options: Pick<RefundModuleOptions, 'notifyBaseUrl' | 'gatewayCallTimeoutMs' | 'sync' | 'outbox'>,
  ): RefundSettings {
    const sync: ResolvedSyncOptions = {
      backoffMs: options.sync?.backoffMs ?? DEFAULT_SYNC_BACKOFF_MS,
      jitter: options.sync?.jitter ?? DEFAULT_SYNC_JITTER,
      exhaustAfterMs: options.sync?.exhaustAfterMs ?? DEFAULT_SYNC_EXHAUST_AFTER_MS,
      requestedGraceMs: options.sync?.requestedGraceMs ?? 60_000,
      batchSize: options.sync?.batchSize ?? 50,
      concurrencyPerGateway: options.sync?.concurrencyPerGateway ?? 4,
      gateways: options.sync?.gateways ?? {},
      rateLimitPerSecond: options.sync?.rateLimitPerSecond ?? {},
    };
    const outbox: ResolvedOutboxOptions = {
      batchSize: options.outbox?.batchSize ?? 100,
      maxAttempts: options.outbox?.maxAttempts ?? 10,
      backoffMs: options.outbox?.backoffMs ?? DEFAULT_OUTBOX_BACKOFF_MS,
      leaseMs: options.outbox?.leaseMs ?? 60_000,
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
    checkSchedule('sync.backoffMs', sync.backoffMs);
    checkSchedule('outbox.backoffMs', outbox.backoffMs);
    positive('outbox.batchSize', outbox.batchSize);
    positive('outbox.maxAttempts', outbox.maxAttempts);
    positive('outbox.leaseMs', outbox.leaseMs);
    if (!(sync.jitter >= 0 && sync.jitter <= 0.5)) throw new Error('RefundModule option sync.jitter must be 0 to 0.5');
    positive('sync.exhaustAfterMs', sync.exhaustAfterMs);
    for (const [gateway, own] of Object.entries(sync.gateways)) {
      if (own.backoffMs) checkSchedule(`sync.gateways.${gateway}.backoffMs`, own.backoffMs);
      if (own.concurrency !== undefined) positive(`sync.gateways.${gateway}.concurrency`, own.concurrency);
    }
    for (const [gateway, merchants] of Object.entries(sync.rateLimitPerSecond)) {
      for (const [merchant, rate] of Object.entries(merchants))
        positive(`sync.rateLimitPerSecond.${gateway}.${merchant}`, rate);
    }
    const base = options.notifyBaseUrl ? options.notifyBaseUrl.replace(/\/+$/, '') : null;
    // Twice the longest call: a live submission always answers (or times out) well within it.
    return new RefundSettings(base, timeout, sync, 2 * timeout, 2 * timeout, outbox);
  }

  /**
   * Whether a lease with `leftMs` to run outlasts a gateway call started now, by half a call again: no
   * one can take the leased work before such a call has ended (its deadline included).
   */
  outlastsGatewayCall(leftMs: number): boolean {
    return leftMs >= 1.5 * this.gatewayCallTimeoutMs;
  }

  /** The sync schedule of a gateway's refunds: its own, or the common one. */
  backoffFor(gateway: string): readonly number[] {
    return this.sync.gateways[gateway]?.backoffMs ?? this.sync.backoffMs;
  }

  /** Gateway calls in flight for one gateway during a sync round. */
  concurrencyFor(gateway: string): number {
    return this.sync.gateways[gateway]?.concurrency ?? this.sync.concurrencyPerGateway;
  }

  /** Sync calls per second allowed for one merchant of a gateway, or null for no limit. */
  rateLimitFor(gateway: string, merchantId: string): number | null {
    return this.sync.rateLimitPerSecond[gateway]?.[merchantId] ?? null;
  }

  /** Where a gateway should send its notifications, or null when refunds settle by query alone. */
  gatewayNotifyUrl(gateway: string): string | null {
    return this.notifyBaseUrl ? `${this.notifyBaseUrl}/notify/${encodeURIComponent(gateway)}` : null;
  }
}

function checkSchedule(name: string, schedule: readonly number[]): void {
  if (schedule.length === 0 || schedule.some((ms) => !(Number.isFinite(ms) && ms > 0))) {
    throw new Error(`RefundModule option ${name} must be a non-empty list of positive delays`);
  }
}

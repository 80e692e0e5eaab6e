import type { Clock } from './domain/clock';
import type { CredentialsProvider } from './gateway/credentials-provider';

export type StaticCredentials = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;

/**
 * Options of {@link RefundModule}.
 *
 * @example
 * ```ts
 * RefundModule.forRoot({
 *   credentials: { leshua: { '0000000018': { tradeKey: '...', notifyKey: '...' } } },
 *   notifyBaseUrl: 'https://refunds.example.com',
 * })
 * ```
 */
export interface RefundModuleOptions {
  /** Merchant secrets per gateway and merchant id, or a provider that resolves them (a vault). */
  credentials: StaticCredentials | CredentialsProvider;
  /**
   * Base URL the gateways can reach; each gateway is told to notify
   * `${notifyBaseUrl}/notify/<gateway>`. Without it refunds are settled by queries alone.
   */
  notifyBaseUrl?: string | null;
  /** Upper bound on one call through the gateway port; past it the outcome is UNKNOWN. Default 30 s. */
  gatewayCallTimeoutMs?: number;
  sync?: RefundSyncOptions;
  /** Replaces the system clock (tests, simulations). */
  clock?: Clock;
}

export interface RefundSyncOptions {
  /** Delay before each next sync, by sync count; the last entry repeats. */
  backoffMs?: readonly number[];
  /** A REQUESTED refund is left to its own submission this long before the sync loop looks at it. Default 60 s. */
  requestedGraceMs?: number;
  /** Refunds claimed per sync round. Default 50. */
  batchSize?: number;
  /** Gateway calls in flight per gateway during a sync round. Default 4. */
  concurrencyPerGateway?: number;
}

export interface ResolvedSyncOptions {
  backoffMs: readonly number[];
  requestedGraceMs: number;
  batchSize: number;
  concurrencyPerGateway: number;
}

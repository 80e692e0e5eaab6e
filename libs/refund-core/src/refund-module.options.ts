import type { Clock } from './domain/clock';
import type { CredentialsProvider } from './gateway/credentials-provider';
import type { RefundObserver } from './observability/refund-observer';
import type { WebhookHostResolver } from './webhooks/webhook-host-resolver';
import type { WebhookTransport } from './webhooks/webhook-transport';

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
   * How long the answer of a host's own `credentials` provider is kept per merchant. Default 60 s;
   * 0 asks the provider on every refund. A map given as `credentials` is not cached (it is in memory).
   */
  credentialsCacheTtlMs?: number;
  /**
   * Base URL the gateways can reach; each gateway is told to notify
   * `${notifyBaseUrl}/notify/<gateway>`. Without it refunds are settled by queries alone.
   */
  notifyBaseUrl?: string | null;
  /** Upper bound on one call through the gateway port; past it the outcome is UNKNOWN. Default 30 s. */
  gatewayCallTimeoutMs?: number;
  sync?: RefundSyncOptions;
  outbox?: RefundOutboxOptions;
  /** The webhooks sent to each refund's `notifyUrl`: their secrets and targets. */
  webhooks?: RefundWebhookOptions;
  /** Replaces the system clock (tests, simulations). */
  clock?: Clock;
  /** Hears gateway calls, notifications, sync rounds and the like as they happen (a host's metrics). */
  observer?: RefundObserver;
}

export interface RefundSyncOptions {
  /** Delay before each next sync, by sync count; the last entry repeats. Default: a minute, growing to six hours. */
  backoffMs?: readonly number[];
  /** Each delay is spread by up to this fraction either way (0 to 0.5). Default 0.1. */
  jitter?: number;
  /**
   * A refund still unfinished this long after it was created is flagged `sync_exhausted` (it needs a
   * person) and from then on queried at the slowest step; never dropped, never guessed FAILED. Default 3 days.
   */
  exhaustAfterMs?: number;
  /** A REQUESTED refund is left to its own submission this long before the sync loop looks at it. Default 60 s. */
  requestedGraceMs?: number;
  /** Refunds claimed per sync round. Default 50. */
  batchSize?: number;
  /** Gateway calls in flight per gateway during a sync round. Default 4. */
  concurrencyPerGateway?: number;
  /** Per gateway id: its own schedule and concurrency, over the ones above. */
  gateways?: Readonly<Record<string, GatewaySyncOptions>>;
  /**
   * Sync calls per second per merchant of a gateway (`{ leshua: { '0000000018': 5 } }`), counted in
   * each process. A refund over its merchant's budget waits for a later round; requests are not held back.
   */
  rateLimitPerSecond?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface GatewaySyncOptions {
  backoffMs?: readonly number[];
  concurrency?: number;
}

export interface ResolvedSyncOptions {
  backoffMs: readonly number[];
  jitter: number;
  exhaustAfterMs: number;
  requestedGraceMs: number;
  batchSize: number;
  concurrencyPerGateway: number;
  gateways: Readonly<Record<string, GatewaySyncOptions>>;
  rateLimitPerSecond: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** How the outbox relays events to listeners (see OutboxRelay). */
export interface RefundOutboxOptions {
  /** Events taken per relay round. Default 100. */
  batchSize?: number;
  /** Failures of one listener before its event is set aside (`poisoned`). Default 10. */
  maxAttempts?: number;
  /** Delay before each next try of a failed listener, by tries so far; the last repeats. Default 1 s growing to 1 h. */
  backoffMs?: readonly number[];
  /** How long a relay holds an event it is delivering. Default 60 s. */
  leaseMs?: number;
}

export type ResolvedOutboxOptions = Required<RefundOutboxOptions>;

/**
 * Webhooks to a refund's `notifyUrl` (Standard Webhooks v1), sent on `refund.succeeded`,
 * `refund.failed` and `refund.needs_attention`. Secrets are `whsec_` followed by the key in base64;
 * a list signs with every one of them (several signatures, during a rotation). A refund whose
 * webhooks no secret can sign gets none: its delivery is recorded as failed, never sent unsigned.
 */
export interface RefundWebhookOptions {
  /** Signs the webhooks of refunds whose requester has no secret of its own. */
  secret?: string | readonly string[] | null;
  /** Per requester (the `requestedBy` a refund was requested under, an API key's name): its own secrets. */
  secretsByRequester?: Readonly<Record<string, string | readonly string[]>>;
  /** Allow loopback, private, link-local and unique-local targets (tests, a receiver on the same network). Default false. */
  allowPrivateTargets?: boolean;
  /** Delays before each next attempt after a failed one; one attempt more than delays. Default 10 s growing to 6 h, over 26.6 h. */
  backoffMs?: readonly number[];
  /** One attempt, from connecting to the answer. Default 10 s. */
  timeoutMs?: number;
  /** How long a delivery round holds a delivery it is sending. Default 60 s (at least three timeouts). */
  leaseMs?: number;
  /** Deliveries taken per round. Default 50. */
  batchSize?: number;
  /** Deliveries sent at once by one round. Default 8. */
  concurrency?: number;
  /** Replaces the HTTP client (tests). */
  transport?: WebhookTransport;
  /** Replaces the system's name resolution (tests). */
  resolver?: WebhookHostResolver;
}

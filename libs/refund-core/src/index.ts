// Domain
export { REFUND_STATUSES, FINAL_STATUSES, UNFINISHED_STATUSES, isFinal } from './domain/refund-status';
export type { RefundStatus } from './domain/refund-status';
export { REFUND_TRANSITIONS, canTransition, assertTransition } from './domain/refund-state-machine';
export { Clock, SystemClock } from './domain/clock';
export {
  DEFAULT_SYNC_BACKOFF_MS,
  DEFAULT_SYNC_EXHAUST_AFTER_MS,
  DEFAULT_SYNC_JITTER,
  nextSyncDelay,
  withJitter,
} from './domain/backoff';
export { crashPoint } from './domain/crash-point';
export type { CrashPoint } from './domain/crash-point';
export { escapeForLog, textForLog, truncateText, unstorableTextReason } from './domain/text';
export { MAX_NESTING_DEPTH, nestedTextProblems } from './domain/nested-text';
export { EARLIEST_STORABLE_DATE, LATEST_STORABLE_DATE, unstorableDateReason } from './domain/storable-date';
export type { NestedTextOptions } from './domain/nested-text';
export { describeError, errorFrames } from './logging/error-summary';
export { currentLogContext, runWithLogContext } from './logging/log-context';
export type { LogContext } from './logging/log-context';
export * from './errors';

// Entities and persistence
export {
  Refund,
  RefundOrder,
  RefundOrderRef,
  RefundHistory,
  WebhookDelivery,
  WebhookAttempt,
  REFUND_ENTITIES,
} from './entities';
export type { OrderRefKind, OrderRefSource, RefundHistorySource, WebhookDeliveryStatus } from './entities';
export { RefundExchange } from './entities';
export type { RefundExchangeOperation, RefundExchangeOutcome } from './entities';
export { REDACTED, REDACTED_FIELD_PATTERN } from './refund/refund-exchanges';
export { refundOrmOptions } from './persistence/refund-database.options';
export type {
  PostgresDatabaseOptions,
  RefundDatabaseOptions,
  SqliteDatabaseOptions,
  SqliteSynchronous,
} from './persistence/refund-database.options';
export { migrateRefundDatabase, migrateRefundSchema } from './persistence/migrate';
export { REFUND_MIGRATIONS, REFUND_MIGRATIONS_TABLE, REFUND_TABLES } from './persistence/refund-schema';
export { REFUND_CONTEXT_NAME, RefundDatabaseModule } from './persistence/refund-database.module';
export type {
  ExistingRefundDatabaseOptions,
  RefundDatabaseModuleAsyncOptions,
  RefundDatabaseModuleOptions,
} from './persistence/refund-database.module';
export { InjectRefundOrm, REFUND_ORM } from './persistence/refund-orm.token';

// Events
export * from './events';

// Webhooks (a refund's notifyUrl)
export * from './webhooks';

// Gateway port
export * from './gateway/refund-gateway.port';
export { GatewayRegistry } from './gateway/gateway-registry';
export { RefundGatewayProvider } from './gateway/refund-gateway.decorator';
export { CredentialsProvider, StaticCredentialsProvider } from './gateway/credentials-provider';
export type { MerchantCredentials } from './gateway/credentials-provider';
export { CachedCredentialsProvider } from './gateway/cached-credentials-provider';
export { DEFAULT_CREDENTIALS_CACHE_TTL_MS } from './gateway/credentials-provider.factory';

// Application
export { RefundService } from './refund/refund.service';
export { RefundOverviewService, overviewStatements } from './refund/refund-overview';
export type { OverviewStatements, RefundOverview, RefundGatewayOverview } from './refund/refund-overview';
export { ORDER_SLOT_BUSY } from './refund/order-slots';
export { BackgroundWork } from './refund/background-work';
export { RefundClaims } from './refund/refund-claims';
export { RefundWrites } from './persistence/sql/write-transactions';
export type { ClaimedRefund } from './refund/refund-claims';
export type { RequestRefundCommand, MerchantScope } from './refund/request-refund.command';
export { scopeAllows } from './refund/request-refund.command';
export type { ResolveRefundCommand, ResolvedStatus } from './refund/resolve-refund.command';
export { RESOLVED_STATUSES, RESOLVE_REASON_MAX_LENGTH, RESOLVED_BY_OPERATOR } from './refund/resolve-refund.command';
export type {
  RefundView,
  RefundHistoryView,
  RefundHistoryPage,
  RefundHistoryPageQuery,
  RefundExchangeView,
  RefundExchangePage,
  RefundExchangePageQuery,
  RefundListFilter,
  RefundPage,
  RequestRefundResult,
} from './refund/refund.view';
export type { NotificationReply, NotificationResult } from './refund/notification-reply';
export { RefundSyncService } from './sync/refund-sync.service';
export type { SyncRoundResult } from './sync/refund-sync.service';

// Observability (a host's metrics)
export * from './observability';

// Reconciliation (`npm run reconcile`)
export * from './reconcile';

// Module
export { RefundModule } from './refund.module';
export type {
  GatewaySyncOptions,
  RefundModuleOptions,
  RefundSyncOptions,
  RefundWebhookOptions,
  StaticCredentials,
} from './refund-module.options';
export { REFUND_MODULE_OPTIONS } from './refund.module-definition';
export { RefundSettings } from './refund-settings';

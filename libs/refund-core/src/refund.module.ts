import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';

import { Clock, SystemClock } from './domain/clock';
import { RefundEventPublisher } from './events';
import { CredentialsProvider } from './gateway/credentials-provider';
import { credentialsProviderFrom } from './gateway/credentials-provider.factory';
import { GatewayRegistry } from './gateway/gateway-registry';
import { NoopRefundObserver, REFUND_OBSERVER } from './observability/refund-observer';
import { safeRefundObserver } from './observability/safe-refund-observer';
import { BackgroundWork } from './refund/background-work';
import { NotificationIntake } from './refund/notification-intake';
import { OrderSlots } from './refund/order-slots';
import { RefundClaims } from './refund/refund-claims';
import { OutboxRelay } from './events/outbox-relay';
import { MerchantRateLimiter } from './sync/merchant-rate-limiter';
import { RefundLedger } from './refund/refund-ledger';
import { RefundService } from './refund/refund.service';
import { RefundOverviewService } from './refund/refund-overview';
import { RefundTransitions } from './refund/refund-transitions';
import { RevealedOrderReferences } from './refund/revealed-order-references';
import type { RefundModuleOptions } from './refund-module.options';
import { REFUND_MODULE_OPTIONS, RefundConfigurableModule } from './refund.module-definition';
import { RefundWrites } from './persistence/sql/write-transactions';
import { RefundSettings } from './refund-settings';
import { RefundSyncService } from './sync/refund-sync.service';
import { RefundReconciler } from './reconcile/refund-reconciler';
import { HttpWebhookTransport } from './webhooks/http-webhook-transport';
import { WebhookDeliveries } from './webhooks/webhook-deliveries';
import { WebhookEventListener } from './webhooks/webhook-event.listener';
import { SystemWebhookHostResolver, WebhookHostResolver } from './webhooks/webhook-host-resolver';
import { WebhookSecrets } from './webhooks/webhook-secrets';
import { WebhookSender } from './webhooks/webhook-sender';
import { WebhookService } from './webhooks/webhook.service';
import { WebhookSettings } from './webhooks/webhook-settings';
import { WebhookTargetPolicy } from './webhooks/webhook-target-policy';
import { WebhookTransport } from './webhooks/webhook-transport';

/**
 * The refund domain as a Nest module. The host provides MikroORM (with
 * {@link refundOrmOptions} or its own connection including {@link REFUND_ENTITIES}) and
 * `EventEmitterModule.forRoot()`, then imports one module per gateway.
 *
 * @example
 * ```ts
 * imports: [
 *   EventEmitterModule.forRoot(),
 *   MikroOrmModule.forRootAsync({ useFactory: () => refundOrmOptions({ driver: 'sqlite', path: 'refunds.sqlite' }) }),
 *   RefundModule.forRoot({ credentials: { leshua: { '0000000018': { tradeKey, notifyKey } } } }),
 *   LeshuaModule.forRoot({ baseUrl: 'https://paygate.leshuazf.com' }),
 * ]
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: RefundSettings,
      useFactory: (options: RefundModuleOptions) => RefundSettings.from(options),
      inject: [REFUND_MODULE_OPTIONS],
    },
    {
      provide: CredentialsProvider,
      useFactory: (options: RefundModuleOptions) => credentialsProviderFrom(options),
      inject: [REFUND_MODULE_OPTIONS],
    },
    {
      provide: Clock,
      useFactory: (options: RefundModuleOptions) => options.clock ?? new SystemClock(),
      inject: [REFUND_MODULE_OPTIONS],
    },
    {
      provide: REFUND_OBSERVER,
      useFactory: (options: RefundModuleOptions) => safeRefundObserver(options.observer ?? new NoopRefundObserver()),
      inject: [REFUND_MODULE_OPTIONS],
    },
    GatewayRegistry,
    RefundWrites,
    RefundEventPublisher,
    OutboxRelay,
    RefundLedger,
    OrderSlots,
    RefundClaims,
    MerchantRateLimiter,
    BackgroundWork,
    RevealedOrderReferences,
    RefundTransitions,
    NotificationIntake,
    RefundService,
    RefundOverviewService,
    RefundSyncService,
    RefundReconciler,
    {
      provide: WebhookSettings,
      useFactory: (options: RefundModuleOptions) => WebhookSettings.from(options.webhooks),
      inject: [REFUND_MODULE_OPTIONS],
    },
    {
      provide: WebhookSecrets,
      useFactory: (options: RefundModuleOptions) => WebhookSecrets.from(options.webhooks),
      inject: [REFUND_MODULE_OPTIONS],
    },
    {
      provide: WebhookTransport,
      useFactory: (options: RefundModuleOptions) => options.webhooks?.transport ?? new HttpWebhookTransport(),
      inject: [REFUND_MODULE_OPTIONS],
    },
    {
      provide: WebhookHostResolver,
      useFactory: (options: RefundModuleOptions) => options.webhooks?.resolver ?? new SystemWebhookHostResolver(),
      inject: [REFUND_MODULE_OPTIONS],
    },
    WebhookTargetPolicy,
    WebhookDeliveries,
    WebhookSender,
    WebhookEventListener,
    WebhookService,
  ],
  exports: [
    BackgroundWork,
    RefundService,
    RefundOverviewService,
    RefundSyncService,
    RefundReconciler,
    OutboxRelay,
    GatewayRegistry,
    CredentialsProvider,
    Clock,
    RefundSettings,
    WebhookService,
    WebhookSender,
  ],
})
export class RefundModule extends RefundConfigurableModule {}

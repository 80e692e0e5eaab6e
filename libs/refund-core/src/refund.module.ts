import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';

import { Clock, SystemClock } from './domain/clock';
import { RefundEventPublisher } from './events';
import { CredentialsProvider, StaticCredentialsProvider } from './gateway/credentials-provider';
import { GatewayRegistry } from './gateway/gateway-registry';
import { BackgroundWork } from './refund/background-work';
import { OrderSlots } from './refund/order-slots';
import { RefundClaims } from './refund/refund-claims';
import { OutboxRelay } from './events/outbox-relay';
import { MerchantRateLimiter } from './sync/merchant-rate-limiter';
import { RefundLedger } from './refund/refund-ledger';
import { RefundService } from './refund/refund.service';
import { RefundTransitions } from './refund/refund-transitions';
import type { RefundModuleOptions } from './refund-module.options';
import { REFUND_MODULE_OPTIONS, RefundConfigurableModule } from './refund.module-definition';
import { RefundSettings } from './refund-settings';
import { RefundSyncService } from './sync/refund-sync.service';

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
      useFactory: (options: RefundModuleOptions) =>
        options.credentials instanceof CredentialsProvider
          ? options.credentials
          : new StaticCredentialsProvider(options.credentials),
      inject: [REFUND_MODULE_OPTIONS],
    },
    {
      provide: Clock,
      useFactory: (options: RefundModuleOptions) => options.clock ?? new SystemClock(),
      inject: [REFUND_MODULE_OPTIONS],
    },
    GatewayRegistry,
    RefundEventPublisher,
    OutboxRelay,
    RefundLedger,
    OrderSlots,
    RefundClaims,
    MerchantRateLimiter,
    BackgroundWork,
    RefundTransitions,
    RefundService,
    RefundSyncService,
  ],
  exports: [RefundService, RefundSyncService, OutboxRelay, GatewayRegistry, CredentialsProvider, Clock, RefundSettings],
})
export class RefundModule extends RefundConfigurableModule {}

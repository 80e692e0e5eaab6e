import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModuleOptions, ThrottlerStorageService, getOptionsToken, getStorageToken } from '@nestjs/throttler';

import { ApiKeyGuard } from './api-key.guard';
import { API_KEYS } from './api-keys';
import { HealthController } from './health/health.controller';
import { ReadinessIndicators } from './health/readiness.indicators';
import { HTTP_API_OPTIONS, HttpApiConfigurableModule, HttpApiModuleOptions } from './http-api.module-definition';
import { MeController } from './me.controller';
import { MetricsAccessGuard } from './metrics/metrics-access.guard';
import { MetricsController } from './metrics/metrics.controller';
import { NotifyController } from './notify.controller';
import { OverviewController } from './overview.controller';
import { RefundErrorFilter } from './refund-error.filter';
import { RefundExchangesController } from './refund-exchanges.controller';
import { RefundWebhooksController } from './refund-webhooks.controller';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RATE_LIMIT_OPTIONS } from './rate-limit/rate-limit.options';
import { RefundsController } from './refunds.controller';
import { createValidationPipe } from './validation.pipe';

/** One window for every caller; the guard picks the key's or the address's limit per request. */
function throttlerOptions(options: HttpApiModuleOptions): ThrottlerModuleOptions {
  const limits = options.rateLimit;
  return {
    throttlers: [{ name: 'default', ttl: limits ? limits.windowMs : 60_000, limit: limits ? limits.perKey : 1 }],
  };
}

/**
 * The REST surface of apps/api: refunds and their webhooks, gateway notifications, health. Installs the API key
 * guard, the validation pipe and the error filter app-wide.
 *
 * @example
 * ```ts
 * HttpApiModule.forRoot({ apiKeys: [{ name: 'shop-a', sha256: '9f86d0...', scope: ['leshua:0000000018'] }] })
 * HttpApiModule.forRootAsync({ inject: [ConfigService], useFactory: (c) => ({ apiKeys: c.get('api.keys') }) })
 * ```
 */
@Module({
  // Terminus's own log of a failed check would repeat every probe: the answer says it.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [
    RefundsController,
    RefundWebhooksController,
    RefundExchangesController,
    OverviewController,
    NotifyController,
    HealthController,
    MeController,
    MetricsController,
  ],
  providers: [
    ReadinessIndicators,
    MetricsAccessGuard,
    { provide: API_KEYS, useFactory: (options: HttpApiModuleOptions) => options.apiKeys, inject: [HTTP_API_OPTIONS] },
    {
      provide: RATE_LIMIT_OPTIONS,
      useFactory: (options: HttpApiModuleOptions) => options.rateLimit ?? false,
      inject: [HTTP_API_OPTIONS],
    },
    { provide: getOptionsToken(), useFactory: throttlerOptions, inject: [HTTP_API_OPTIONS] },
    { provide: getStorageToken(), useClass: ThrottlerStorageService },
    // Before the key check: a flood of bad keys spends its address's budget instead of our hashing.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: RefundErrorFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
  exports: [API_KEYS],
})
export class HttpApiModule extends HttpApiConfigurableModule {}

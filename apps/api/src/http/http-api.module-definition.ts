import { ConfigurableModuleBuilder, ModuleMetadata } from '@nestjs/common';

import type { ApiKeyRecord } from './api-keys';
import type { RateLimitOptions } from './rate-limit/rate-limit.options';

export interface HttpApiModuleOptions {
  apiKeys: readonly ApiKeyRecord[];
  /** `/health/ready` thresholds. */
  health?: {
    /** Not ready while more outbox events than this wait for delivery (default 1000). */
    outboxReadyBacklog?: number;
  };
  /** Requests per window per API key and per address; absent or false: no limit. */
  rateLimit?: RateLimitOptions | false;
  /** `/metrics`: `public` lets anyone scrape it; otherwise any valid API key may (default). */
  metrics?: { public?: boolean };
}

export const {
  ConfigurableModuleClass: HttpApiConfigurableModule,
  MODULE_OPTIONS_TOKEN: HTTP_API_OPTIONS,
  OPTIONS_TYPE: HTTP_API_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: HTTP_API_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<HttpApiModuleOptions>()
  .setClassMethodName('forRoot')
  // `imports` lets the app hand over the module that provides RefundService when it is not global.
  .setExtras<{ imports: NonNullable<ModuleMetadata['imports']> }>({ imports: [] }, (definition, extras) => ({
    ...definition,
    imports: [...(definition.imports ?? []), ...extras.imports],
  }))
  .build();

import { DynamicModule, Module } from '@nestjs/common';

import {
  LoadedConfig,
  LoggingSetupOptions,
  RefundHostModule,
  RefundhubLoggingModule,
  parseMerchantScope,
} from '@refundhub/host';

import { HttpApiModule } from './http';

/** The standalone API: the refund host wired from the operator configuration, plus REST. */
@Module({})
export class AppModule {
  static forConfig(loaded: LoadedConfig, logs: LoggingSetupOptions = {}): DynamicModule {
    const { config } = loaded;
    return {
      module: AppModule,
      imports: [
        RefundhubLoggingModule.forConfig(config, logs),
        RefundHostModule.forConfig(loaded, { runSyncLoop: config.scheduler.enabled, allowSandboxes: true }),
        HttpApiModule.forRoot({
          apiKeys: config.api.keys.map((key) => ({
            name: key.name,
            sha256: key.sha256,
            scope: parseMerchantScope(key.merchants),
            scopes: key.scopes,
          })),
          health: { outboxReadyBacklog: config.outbox.readyBacklog },
          rateLimit: config.api.rateLimit.enabled && {
            perKey: config.api.rateLimit.perKey,
            perAddress: config.api.rateLimit.perAddress,
            windowMs: config.api.rateLimit.window,
          },
          metrics: { public: config.api.metrics.public },
        }),
      ],
    };
  }
}

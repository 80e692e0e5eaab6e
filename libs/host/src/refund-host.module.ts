import { MikroORM } from '@mikro-orm/core';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';

import { Clock, GatewayRegistry, REFUND_ORM, RefundDatabaseModule, RefundModule } from '@refundhub/core';

import { ConfigError, LoadedConfig, SANDBOX_BASE_URL, loadedRefundhubConfig, operatorConfigOf } from './config';
import { INSTALLED_GATEWAYS } from './gateways/installed-gateways';
import { GatewaySandboxes } from './sandbox/gateway-sandboxes';
import { SandboxModule } from './sandbox/sandbox.module';
import { GracefulShutdown } from './loops/graceful-shutdown';
import { OUTBOX_LOOP_OPTIONS, OutboxRelayLoop } from './loops/outbox-relay.loop';
import { RefundSyncLoop, SYNC_LOOP_OPTIONS } from './sync/refund-sync.loop';
import { SchemaMigrator } from './schema.migrator';
import { HostMetrics, RefundMetrics } from './metrics';
import { WEBHOOK_LOOP_OPTIONS, WebhookDeliveryLoop } from './loops/webhook-delivery.loop';
import { refundModuleOptionsOf } from './refund-options';

export interface RefundHostOptions {
  /** Run the sync loop in this process (the API when `scheduler.enabled`, always the scheduler). */
  runSyncLoop: boolean;
  /**
   * Whether `baseUrl: sandbox` may start the built-in simulators here. Only the API may: a
   * simulator lives in one process, and a second host with its own empty copy would hear "not
   * found" about refunds the first one holds, resubmit them and see them refused.
   */
  allowSandboxes: boolean;
  /**
   * Run the outbox relay and the webhook deliveries in this process. Default true; a one-shot command
   * (`npm run reconcile`) leaves them to the long-running hosts, which relay what it recorded.
   */
  runDeliveryLoops?: boolean;
}

/**
 * Everything a standalone host needs from the operator configuration: storage, the domain,
 * the configured gateways (or their sandboxes), the sync loop, and in every process the outbox
 * relay and the webhook deliveries.
 */
@Module({})
export class RefundHostModule {
  static forConfig(loaded: LoadedConfig, options: RefundHostOptions): DynamicModule {
    const { config } = loaded;
    // The loops read `enabled` from their options (it overrides their default of true).
    const delivering = options.runDeliveryLoops ?? true;
    if (!options.allowSandboxes) assertNoSandboxes(loaded);
    // One registry per application: the core reports into it from the moment it exists.
    const metrics = new HostMetrics();
    const imports: DynamicModule['imports'] = [
      // The loaded configuration shapes the imports below (which gateways, which database); everything
      // built at run time reads it from ConfigService, as a host app embedding refundhub would.
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [loadedRefundhubConfig(loaded)] }),
      EventEmitterModule.forRoot(),
      ScheduleModule.forRoot(),
      // The host's one database is refundhub's: its MikroORM is the application's default context.
      RefundDatabaseModule.forRoot({ database: config.database, contextName: null }),
      SandboxModule.forConfig(config, loaded.demo),
      RefundModule.forRootAsync({
        inject: [ConfigService],
        useFactory: (settings: ConfigService) =>
          refundModuleOptionsOf(operatorConfigOf(settings).config, { observer: metrics.observer }),
      }),
    ];
    for (const definition of INSTALLED_GATEWAYS) {
      const section = config.gateways[definition.id];
      if (!section) continue;
      imports.push(
        definition.module({
          config: section,
          inject: [GatewaySandboxes],
          target: (sandboxes) => (sandboxes as GatewaySandboxes).targetOf(definition.id, section.baseUrl),
        }),
      );
    }
    return {
      module: RefundHostModule,
      imports,
      providers: [
        SchemaMigrator,
        GracefulShutdown,
        { provide: HostMetrics, useValue: metrics },
        {
          provide: RefundMetrics,
          useFactory: (orm: MikroORM, clock: Clock, gateways: GatewayRegistry) =>
            new RefundMetrics({ metrics, orm, clock, gateways }),
          inject: [REFUND_ORM, Clock, GatewayRegistry],
        },
        RefundSyncLoop,
        OutboxRelayLoop,
        { provide: OUTBOX_LOOP_OPTIONS, useValue: { intervalMs: config.outbox.intervalMs, enabled: delivering } },
        WebhookDeliveryLoop,
        { provide: WEBHOOK_LOOP_OPTIONS, useValue: { intervalMs: config.webhooks.intervalMs, enabled: delivering } },
        {
          provide: SYNC_LOOP_OPTIONS,
          useValue: { enabled: options.runSyncLoop, intervalMs: config.scheduler.intervalMs },
        },
      ],
      exports: [RefundSyncLoop, OutboxRelayLoop, WebhookDeliveryLoop, RefundMetrics],
    };
  }
}

/** A configuration problem like any other: the host prints it and exits 2, no stack trace. */
function assertNoSandboxes(loaded: LoadedConfig): void {
  if (loaded.demo) {
    throw new ConfigError(loaded.source, [
      'no configuration file (REFUNDHUB_CONFIG, or ./refundhub.yaml): this host needs one naming a shared database ' +
        'and real gateways. The embedded demo runs the sync loop inside the API (npm start); see refundhub.example.yaml',
    ]);
  }
  const sandboxed = Object.entries(loaded.config.gateways)
    .filter(([, settings]) => settings?.baseUrl === SANDBOX_BASE_URL)
    .map(
      ([id]) =>
        `gateways.${id}.baseUrl: "sandbox" runs inside the API process only; run the sync loop there ` +
        '(scheduler.enabled: true) or point baseUrl at a gateway this process can reach',
    );
  if (sandboxed.length) throw new ConfigError(loaded.source, sandboxed);
}

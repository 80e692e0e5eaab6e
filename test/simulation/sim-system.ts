import { MikroORM } from '@mikro-orm/core';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import {
  type AnyRefundEvent,
  migrateRefundSchema,
  OutboxRelay,
  RefundModule,
  RefundService,
  RefundSyncService,
  RefundDatabaseModule,
  type RefundDatabaseOptions,
} from '@refundhub/core';
import type { FakeClock } from '@refundhub/core/testing';

import type { SimulatedGateway } from './sim-gateway';

/** The sync schedule of the simulation: short, so a few clock steps reach the end of it. */
export const SIM_SYNC_BACKOFF_MS: readonly number[] = [5_000, 10_000, 20_000, 40_000];
/** After this long without a final answer a refund needs attention (the schedule ran out). */
export const SIM_EXHAUST_AFTER_MS = 300_000;

/** A core provider replaced by a subclass: the seam through which tests plant known defects. */
export interface ProviderOverride {
  provide: Type<unknown>;
  useClass: Type<unknown>;
}

export interface SimSystemOptions {
  database: RefundDatabaseOptions;
  clock: FakeClock;
  gateway: SimulatedGateway;
  /** Every event any incarnation's listener heard, by event id: it outlives crashes, as a listener's store would. */
  heard: Map<string, AnyRefundEvent>;
  overrides?: readonly ProviderOverride[];
}

/** One incarnation of refund-core and the simulated gateway's module on the simulation's database. */
export interface SimSystem {
  refunds: RefundService;
  sync: RefundSyncService;
  relay: OutboxRelay;
  orm: MikroORM;
  close(): Promise<void>;
}

export async function startSimSystem(options: SimSystemOptions): Promise<SimSystem> {
  let builder = Test.createTestingModule({
    imports: [
      EventEmitterModule.forRoot({ wildcard: true }),
      RefundDatabaseModule.forRoot({ database: options.database, contextName: null }),
      RefundModule.forRoot({
        credentials: options.gateway.credentials(),
        notifyBaseUrl: 'https://refunds.simulated',
        clock: options.clock,
        sync: { jitter: 0, backoffMs: SIM_SYNC_BACKOFF_MS, exhaustAfterMs: SIM_EXHAUST_AFTER_MS, requestedGraceMs: 0 },
        // Generous: the simulated transport answers at once, so this deadline never decides an outcome.
        gatewayCallTimeoutMs: 30_000,
      }),
      // The gateway's real module (client, signer, codec, mapper) over the simulated transport.
      options.gateway.module(),
    ],
  });
  for (const override of options.overrides ?? []) {
    builder = builder.overrideProvider(override.provide).useClass(override.useClass);
  }
  const moduleRef = await builder.compile();
  // The simulation provokes failures on purpose; its invariants, not the log, say what went wrong.
  moduleRef.useLogger(false);
  const app: INestApplicationContext = await moduleRef.init();
  const orm = app.get(MikroORM);
  await migrateRefundSchema(orm);
  app.get(EventEmitter2).on('refund.*', (event: AnyRefundEvent) => {
    options.heard.set(event.eventId, event);
  });
  return {
    refunds: app.get(RefundService),
    sync: app.get(RefundSyncService),
    relay: app.get(OutboxRelay),
    orm,
    close: () => app.close(),
  };
}

import { MikroORM } from '@mikro-orm/core';
import { INestApplicationContext } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';

import type { AnyRefundEvent } from '../../events';
import { migrateRefundSchema } from '../../persistence/migrate';
import { RefundDatabaseModule } from '../../persistence/refund-database.module';
import { RefundDatabaseOptions } from '../../persistence/refund-database.options';
import type { RefundObserver } from '../../observability/refund-observer';
import { RefundService } from '../../refund/refund.service';
import { RefundModule } from '../../refund.module';
import type { RefundOutboxOptions, RefundSyncOptions, RefundWebhookOptions } from '../../refund-module.options';
import { RefundSyncService } from '../../sync/refund-sync.service';
import { FakeClock } from '../fake-clock';
import { FakeGateway } from '../fake-gateway';

export interface CoreHarness {
  app: INestApplicationContext;
  refunds: RefundService;
  sync: RefundSyncService;
  orm: MikroORM;
  gateway: FakeGateway;
  clock: FakeClock;
  /** Every domain event, in publication order. */
  events: AnyRefundEvent[];
  close(): Promise<void>;
}

/**
 * The suites' schedule: seconds first, so that a few clock steps reach the next sync, and no jitter,
 * so that assertions can name exact times (the suites about the schedule and the jitter set their own).
 */
export const TEST_SYNC_BACKOFF_MS: readonly number[] = [
  5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000, 7_200_000,
  14_400_000, 21_600_000,
];

/** refund-core on a real database with one fake gateway (`fake`, merchant `m1`). */
export async function createCoreHarness(
  db: RefundDatabaseOptions,
  opts: {
    gateway?: FakeGateway;
    sync?: RefundSyncOptions;
    outbox?: RefundOutboxOptions;
    webhooks?: RefundWebhookOptions;
    gatewayCallTimeoutMs?: number;
    observer?: RefundObserver;
  } = {},
): Promise<CoreHarness> {
  const gateway = opts.gateway ?? new FakeGateway('fake');
  const clock = new FakeClock();
  const moduleRef = await Test.createTestingModule({
    imports: [
      EventEmitterModule.forRoot({ wildcard: true }),
      RefundDatabaseModule.forRoot({ database: db, contextName: null }),
      RefundModule.forRoot({
        credentials: { fake: { m1: { key: 'k1' }, m2: { key: 'k2' } } },
        notifyBaseUrl: 'https://refunds.example.com',
        clock,
        sync: { jitter: 0, backoffMs: TEST_SYNC_BACKOFF_MS, ...opts.sync },
        outbox: opts.outbox,
        webhooks: opts.webhooks,
        gatewayCallTimeoutMs: opts.gatewayCallTimeoutMs,
        observer: opts.observer,
      }),
    ],
    providers: [{ provide: FakeGateway, useValue: gateway }],
  }).compile();
  // The specs provoke errors on purpose; their assertions, not the log, say what happened.
  moduleRef.useLogger(false);
  const app = await moduleRef.init();
  const orm = app.get(MikroORM);
  await migrateRefundSchema(orm);
  const events: AnyRefundEvent[] = [];
  app.get(EventEmitter2).on('refund.*', (event: AnyRefundEvent) => events.push(event));
  return {
    app,
    refunds: app.get(RefundService),
    sync: app.get(RefundSyncService),
    orm,
    gateway,
    clock,
    events,
    close: () => app.close(),
  };
}

import { MikroORM } from '@mikro-orm/core';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';

import { AnyRefundEvent, Refund, RefundFailedEvent, RefundSucceededEvent, RefundView } from '@refundhub/core';
import { GatewaySandboxes, OutboxRelayLoop, RefundSyncLoop, WebhookDeliveryLoop } from '@refundhub/host';
import { LeshuaSandbox } from '@refundhub/leshua/sandbox';

import { SchedulerModule } from '../apps/scheduler/src/scheduler.module';
import { MERCHANT, ORDER, refundBody } from './support/api-harness';
import { describeWithDialect } from './support/databases';
import { SharedDatabaseApi, schedulerConfigFor, startApiOnSharedDatabase } from './support/shared-database-hosts';

/**
 * apps/api and apps/scheduler as an operator runs them on one box: two hosts, one SQLite file,
 * one gateway (the API's sandbox). The API has `scheduler.enabled: false`; the scheduler host
 * brings refunds to their final status. The API runs without `api.publicUrl` so that no
 * gateway notification reaches it: every status change below is the scheduler's doing.
 */
describeWithDialect('sqlite', 'the scheduler host next to the API on one database', () => {
  let api: SharedDatabaseApi;
  let scheduler: INestApplicationContext | undefined;
  let schedulerEvents: AnyRefundEvent[];

  beforeEach(async () => {
    api = await startApiOnSharedDatabase({ notifications: false });
  });

  afterEach(async () => {
    try {
      await scheduler?.close();
      scheduler = undefined;
      await api.close();
    } finally {
      await api.dropDatabase();
    }
  });

  const bootScheduler = async (): Promise<INestApplicationContext> => {
    scheduler = await NestFactory.createApplicationContext(SchedulerModule.forConfig(schedulerConfigFor(api)), {
      logger: false,
    });
    schedulerEvents = [];
    const emitter = scheduler.get(EventEmitter2);
    for (const name of [RefundSucceededEvent.eventName, RefundFailedEvent.eventName]) {
      emitter.on(name, (event: AnyRefundEvent) => schedulerEvents.push(event));
    }
    return scheduler;
  };
  const create = (overrides: Record<string, unknown> = {}) =>
    api.call<RefundView>('POST', '/refunds', refundBody(overrides));
  const get = (id: string) => api.call<RefundView>('GET', `/refunds/${id}`);
  /** Moves the refund's next sync, in the shared database, through the API's own connection. */
  const setNextSyncAt = async (id: string, at: Date) => {
    const updated = await api.app.get(MikroORM).em.fork().nativeUpdate(Refund, { id }, { nextSyncAt: at });
    expect(updated).toBe(1);
  };
  const gatewayCalls = (service: string) => api.sandbox.requests().filter((r) => r.service === service);

  it('registers its sync interval when it boots and removes it on close; the API (scheduler.enabled: false) registers none', async () => {
    // Every process relays the outbox and sends webhooks; only the scheduler syncs.
    expect(api.app.get(SchedulerRegistry).getIntervals().sort()).toEqual(
      [OutboxRelayLoop.jobName, WebhookDeliveryLoop.jobName].sort(),
    );

    const app = await bootScheduler();
    const registry = app.get(SchedulerRegistry);
    expect(registry.getIntervals().sort()).toEqual(
      [OutboxRelayLoop.jobName, RefundSyncLoop.jobName, WebhookDeliveryLoop.jobName].sort(),
    );
    // It talks to the API's sandbox, not to one of its own.
    expect(app.get(GatewaySandboxes).simulator('leshua', LeshuaSandbox)).toBeNull();

    await app.close();
    scheduler = undefined;
    expect(registry.getIntervals()).toEqual([]);
  });

  it('a refund created through the API is left alone until due, then one round makes it SUCCEEDED', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'PROCESSING', order: { reservedAmount: 100, refundedAmount: 0 } });
    const id = created.body.id;
    const loop = (await bootScheduler()).get(RefundSyncLoop);

    // Not due: the round does not ask the gateway.
    await setNextSyncAt(id, new Date(Date.now() + 3_600_000));
    await loop.tick();
    expect(gatewayCalls('unified_query_refund')).toHaveLength(0);
    expect((await get(id)).body.status).toBe('PROCESSING');

    // Due: one round queries the API's sandbox and applies the answer to the shared database.
    await setNextSyncAt(id, new Date(Date.now() - 1000));
    await loop.tick();
    expect(gatewayCalls('unified_query_refund')).toEqual([
      expect.objectContaining({
        params: expect.objectContaining({ merchant_id: MERCHANT, merchant_refund_id: 'R20250101000001' }),
      }),
    ]);
    const after = await get(id);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ status: 'SUCCEEDED', order: { reservedAmount: 100, refundedAmount: 100 } });
    expect(after.body.finishedAt).not.toBeNull();
    expect(schedulerEvents).toHaveLength(1);
    expect(schedulerEvents[0]).toBeInstanceOf(RefundSucceededEvent);
    expect(schedulerEvents[0].refund).toMatchObject({ refundId: id, amount: 100 });

    // Final: later rounds leave it alone, due date or not.
    await setNextSyncAt(id, new Date(Date.now() - 1000));
    await loop.tick();
    expect(gatewayCalls('unified_query_refund')).toHaveLength(1);
    expect(schedulerEvents).toHaveLength(1);
  });

  it('a refund the gateway never received is resubmitted by the scheduler under the same refund number, then settled', async () => {
    api.sandbox.failNext('5xx', { service: 'unified_refund' });
    const created = await create();
    expect(created.body).toMatchObject({ status: 'UNKNOWN', order: { reservedAmount: 100 } });
    const id = created.body.id;
    expect(api.sandbox.refund(MERCHANT, 'R20250101000001')).toBeUndefined();
    const loop = (await bootScheduler()).get(RefundSyncLoop);

    await setNextSyncAt(id, new Date(Date.now() - 1000));
    await loop.tick();
    // Query: not found; resubmitted to the same sandbox with the same refund number.
    expect((await get(id)).body).toMatchObject({ status: 'PROCESSING', attempts: 2 });
    const submissions = gatewayCalls('unified_refund');
    expect(submissions.map((s) => s.params.merchant_refund_id)).toEqual(['R20250101000001', 'R20250101000001']);
    expect(api.sandbox.refund(MERCHANT, 'R20250101000001')).toMatchObject({ amount: 100, status: '10' });

    await setNextSyncAt(id, new Date(Date.now() - 1000));
    await loop.tick();
    expect((await get(id)).body).toMatchObject({ status: 'SUCCEEDED', order: { refundedAmount: 100 } });
    expect(api.sandbox.order(MERCHANT, ORDER.merchantOrderNo)?.balance).toBe(200);
    expect(schedulerEvents.map((e) => e.constructor)).toEqual([RefundSucceededEvent]);
  });
});

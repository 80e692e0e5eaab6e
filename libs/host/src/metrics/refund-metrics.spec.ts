import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MikroORM } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';

import { GatewayRegistry, migrateRefundSchema, refundOrmOptions } from '@refundhub/core';
import { FakeClock } from '@refundhub/core/testing';

import { HostMetrics } from './host-metrics';
import { RefundMetrics } from './refund-metrics';
import { parsePrometheusText, sampleValue } from './testing/prometheus-samples';

/** A registry that knows the given gateways, without their modules. */
function gatewaysNamed(...ids: string[]): GatewayRegistry {
  return { ids: () => ids } as unknown as GatewayRegistry;
}

describe('RefundMetrics', () => {
  let dir: string;
  let orm: MikroORM;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'refundhub-metrics-'));
    orm = await MikroORM.init(await refundOrmOptions({ driver: 'sqlite', path: join(dir, 'refunds.sqlite') }));
    await migrateRefundSchema(orm);
  });

  afterEach(async () => {
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  });

  const scrapeOf = (metrics: HostMetrics, timeoutMs?: number) =>
    new RefundMetrics({
      metrics,
      orm,
      clock: new FakeClock(),
      gateways: gatewaysNamed('leshua'),
      databaseReadTimeoutMs: timeoutMs,
    }).scrape();

  it("answers in prom-client's content type, every configured gateway's database gauges at zero on an empty database", async () => {
    const scrape = await scrapeOf(new HostMetrics());
    expect(scrape.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parsePrometheusText(scrape.body);
    expect(sampleValue(samples, 'refundhub_metrics_database_up')).toBe(1);
    for (const status of ['REQUESTED', 'PROCESSING', 'UNKNOWN', 'SUCCEEDED', 'FAILED']) {
      expect(sampleValue(samples, 'refundhub_refunds', { gateway: 'leshua', status })).toBe(0);
    }
    expect(sampleValue(samples, 'refundhub_oldest_unfinished_refund_age_seconds', { gateway: 'leshua' })).toBe(0);
    expect(
      sampleValue(samples, 'refundhub_refunds_needing_attention', { gateway: 'leshua', reason: 'sync_exhausted' }),
    ).toBe(0);
    expect(sampleValue(samples, 'refundhub_outbox_pending_events')).toBe(0);
    expect(sampleValue(samples, 'refundhub_outbox_set_aside_events')).toBe(0);
    expect(sampleValue(samples, 'refundhub_webhook_deliveries_given_up')).toBe(0);
  });

  it('leaves the database gauges out when the database cannot be read, and says so, without failing the scrape', async () => {
    const metrics = new HostMetrics();
    metrics.observer.syncRound({ claimed: 1, limited: 0, finished: 0, errors: 0 });
    await orm.close(true);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    const samples = parsePrometheusText((await scrapeOf(metrics)).body);

    expect(sampleValue(samples, 'refundhub_metrics_database_up')).toBe(0);
    expect(sampleValue(samples, 'refundhub_metrics_database_read_errors_total')).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    expect(samples.filter((sample) => sample.name.startsWith('refundhub_refunds'))).toEqual([]);
    expect(sampleValue(samples, 'refundhub_outbox_pending_events')).toBeUndefined();
    // What the process counted itself is still there.
    expect(sampleValue(samples, 'refundhub_sync_claimed_refunds_total')).toBe(1);
    orm = await MikroORM.init(await refundOrmOptions({ driver: 'sqlite', path: join(dir, 'refunds.sqlite') }));
    expect(sampleValue(parsePrometheusText((await scrapeOf(metrics)).body), 'refundhub_metrics_database_up')).toBe(1);
  });

  it('lets scrapes that arrive together share one read of the database', async () => {
    const metrics = new HostMetrics();
    const refundMetrics = new RefundMetrics({
      metrics,
      orm,
      clock: new FakeClock(),
      gateways: gatewaysNamed('leshua'),
    });
    const execute = jest.spyOn(orm.em.getConnection(), 'execute');

    const [first, second] = await Promise.all([refundMetrics.scrape(), refundMetrics.scrape()]);
    expect(execute).toHaveBeenCalledTimes(3);
    await refundMetrics.scrape();
    expect(execute).toHaveBeenCalledTimes(6);

    for (const scrape of [first, second]) {
      expect(
        sampleValue(parsePrometheusText(scrape.body), 'refundhub_refunds', { gateway: 'leshua', status: 'FAILED' }),
      ).toBe(0);
    }
  });
});

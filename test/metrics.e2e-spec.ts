import { MikroORM } from '@mikro-orm/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

import { Refund, RefundView } from '@refundhub/core';
import { LoadedConfig, validateOperatorConfig } from '@refundhub/host';
import { LESHUA_SANDBOX_ERRORS, createLeshuaSandboxNotification } from '@refundhub/leshua/sandbox';

import { createApiApp, listenApi } from '../apps/api/src/bootstrap';
import {
  PrometheusSample,
  parsePrometheusText,
  sampleValue,
} from '../libs/host/src/metrics/testing/prometheus-samples';
import { ApiHarness, KEYS, LESHUA_KEYS, MERCHANT, ORDER, refundBody, startApi } from './support/api-harness';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './support/databases';
import { freePort } from './support/free-port';

const HOUR_S = 3_600;

describe.each<TestDialect>(['sqlite', 'postgresql'])('GET /metrics', (dialect) => {
  describeWithDialect(dialect, 'GET /metrics after a scripted day at the Leshua sandbox', () => {
    let h: ApiHarness;

    beforeAll(async () => {
      h = await startApi(dialect);
    });

    afterAll(async () => {
      await h?.close();
    });

    const scrape = async (key: string | null = KEYS.shop) => {
      const answer = await h.call<string>('GET', '/metrics', undefined, key);
      return { ...answer, samples: answer.status === 200 ? parsePrometheusText(answer.text) : [] };
    };
    const create = async (refundNo: string, overrides: Record<string, unknown> = {}) =>
      (await h.call<RefundView>('POST', '/refunds', refundBody({ refundNo, ...overrides }))).body;

    it('answers 401 without a key or with a wrong one, and any valid key', async () => {
      const missing = await scrape(null);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="refundhub"');
      const wrong = await scrape('rh_not_a_key');
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
      // A key scoped to one merchant, without the operator scope, may scrape.
      const shop = await scrape(KEYS.shop);
      expect(shop.status).toBe(200);
      expect(shop.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    });

    it('counts what happened, and reads the database as it stands', async () => {
      // Succeeds: accepted, then the gateway notifies its success.
      const succeeded = await create('RM1');
      expect(succeeded.status).toBe('PROCESSING');
      h.sandbox.complete(MERCHANT, 'RM1', 'success');
      await h.sandbox.settled();
      // Refused with a code Leshua documents as definite.
      h.sandbox.rejectNext(LESHUA_SANDBOX_ERRORS.amountExceeds, '退款金额超过订单可退金额', {
        service: 'unified_refund',
      });
      expect((await create('RM2')).status).toBe('FAILED');
      // Unknown: the gateway answers 5xx; a sync round finds it lost and resubmits it; a person settles it.
      h.sandbox.failNext('5xx', { service: 'unified_refund' });
      const lost = await create('RM3');
      expect(lost.status).toBe('UNKNOWN');
      await h.makeDue(lost.id);
      await h.syncRound();
      const resolved = await h.call<RefundView>(
        'POST',
        `/refunds/${lost.id}/resolve`,
        { status: 'SUCCEEDED', reason: 'bank statement shows it paid' },
        KEYS.operator,
      );
      expect(resolved.body.status).toBe('SUCCEEDED');
      // Still unknown (an unreadable answer), created an hour ago.
      h.sandbox.failNext('malformed', { service: 'unified_refund' });
      const pending = await create('RM4');
      expect(pending.status).toBe('UNKNOWN');
      await h.app
        .get(MikroORM)
        .em.fork()
        .nativeUpdate(Refund, { id: pending.id }, { createdAt: new Date(Date.now() - HOUR_S * 1000) });
      // A forged notification.
      const forged = createLeshuaSandboxNotification({
        merchantId: MERCHANT,
        merchantRefundId: 'RM4',
        thirdOrderId: ORDER.merchantOrderNo,
        amount: 100,
        outcome: 'success',
        key: 'NOT-THE-NOTIFY-KEY',
      });
      await h.postRaw('/notify/leshua', forged.rawBody, 'text/xml');

      const { samples } = await scrape();
      const value = (name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels);
      const calls = (operation: string, outcome: string) =>
        value('refundhub_gateway_call_duration_seconds_count', { gateway: 'leshua', operation, outcome });

      expect(calls('submit', 'processing')).toBe(2); // RM1, RM3 resubmitted
      expect(calls('submit', 'failed')).toBe(1);
      expect(calls('submit', 'unknown')).toBe(2);
      expect(calls('query', 'not_found')).toBe(1);
      expect(value('refundhub_gateway_unknown_outcomes_total', { gateway: 'leshua', reason: 'http_5xx' })).toBe(1);
      expect(value('refundhub_gateway_unknown_outcomes_total', { gateway: 'leshua', reason: 'malformed' })).toBe(1);
      expect(value('refundhub_gateway_rejections_total', { gateway: 'leshua', code: 'REFUND_AMOUNT_EXCEED' })).toBe(1);
      expect(value('refundhub_notifications_total', { gateway: 'leshua', result: 'applied' })).toBe(1);
      expect(value('refundhub_notifications_total', { gateway: 'leshua', result: 'rejected' })).toBe(1);
      expect(value('refundhub_sync_rounds_total')).toBe(1);
      expect(value('refundhub_sync_claimed_refunds_total')).toBe(1);
      expect(value('refundhub_sync_attempts_total', { gateway: 'leshua' })).toBe(1);
      expect(value('refundhub_refunds_resolved_total', { gateway: 'leshua', status: 'SUCCEEDED' })).toBe(1);

      const refunds = (status: string) => value('refundhub_refunds', { gateway: 'leshua', status });
      expect([refunds('REQUESTED'), refunds('PROCESSING'), refunds('UNKNOWN')]).toEqual([0, 0, 1]);
      expect([refunds('SUCCEEDED'), refunds('FAILED')]).toEqual([2, 1]);
      const age = value('refundhub_oldest_unfinished_refund_age_seconds', { gateway: 'leshua' });
      expect(age).toBeGreaterThanOrEqual(HOUR_S);
      expect(age).toBeLessThan(HOUR_S + 60);
      expect(value('refundhub_refunds_needing_attention', { gateway: 'leshua', reason: 'gateway_lost_refund' })).toBe(
        0,
      );
      expect(value('refundhub_outbox_pending_events')).toBe(0);
      expect(value('refundhub_outbox_set_aside_events')).toBe(0);
      expect(value('refundhub_webhook_deliveries_given_up')).toBe(0);
      expect(value('refundhub_metrics_database_up')).toBe(1);
      expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0);

      expect(labelValues(samples).filter((label) => /0000000018|RM\d|rf_/.test(label))).toEqual([]);
    });
  });
});

describeWithDialect('sqlite', 'GET /metrics with api.metrics.public', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const port = await freePort();
    const config = validateOperatorConfig(
      {
        database: db.options,
        api: { host: '127.0.0.1', port, keys: [], metrics: { public: true } },
        scheduler: { enabled: false },
        gateways: { leshua: { baseUrl: 'sandbox', merchants: LESHUA_KEYS } },
      },
      { source: 'e2e', env: {} },
    );
    const loaded: LoadedConfig = { config, source: 'e2e', demo: false };
    app = await createApiApp(loaded, { logger: false });
    url = await listenApi(app, loaded);
  });

  afterAll(async () => {
    try {
      await app?.close();
    } finally {
      await db?.drop();
    }
  });

  it('answers anyone, without a key', async () => {
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    const samples = parsePrometheusText(await response.text());
    expect(sampleValue(samples, 'refundhub_refunds', { gateway: 'leshua', status: 'SUCCEEDED' })).toBe(0);
    // The other routes still want a key.
    expect((await fetch(`${url}/refunds`)).status).toBe(401);
  });

  it('still answers 200 when the database is gone: the database gauges are left out, and it says so', async () => {
    await app.get(MikroORM).close(true);
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    const samples = parsePrometheusText(await response.text());
    expect(sampleValue(samples, 'refundhub_metrics_database_up')).toBe(0);
    expect(sampleValue(samples, 'refundhub_metrics_database_read_errors_total')).toBe(1);
    expect(samples.filter((sample) => sample.name === 'refundhub_refunds')).toEqual([]);
    expect(sampleValue(samples, 'refundhub_sync_rounds_total')).toBe(0);
  });
});

function labelValues(samples: readonly PrometheusSample[]): string[] {
  return samples.flatMap((sample) => Object.values(sample.labels));
}

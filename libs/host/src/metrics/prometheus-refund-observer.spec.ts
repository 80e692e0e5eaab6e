import { HostMetrics } from './host-metrics';
import { notificationLabel } from './prometheus-refund-observer';
import { parsePrometheusText, sampleValue } from './testing/prometheus-samples';

const samplesOf = async (metrics: HostMetrics) => parsePrometheusText(await metrics.registry.metrics());

describe('PrometheusRefundObserver', () => {
  it('counts each observation under its own labels, with durations in seconds', async () => {
    const metrics = new HostMetrics();
    const observer = metrics.observer;
    observer.gatewayCall({ gateway: 'leshua', operation: 'submit', durationMs: 40, outcome: 'processing' });
    observer.gatewayCall({ gateway: 'leshua', operation: 'submit', durationMs: 3_000, outcome: 'unknown' });
    observer.gatewayCall({ gateway: 'umf', operation: 'query', durationMs: 7, outcome: 'succeeded' });
    observer.unknownOutcome({ gateway: 'leshua', operation: 'submit', reason: 'http_5xx' });
    observer.rejection({ gateway: 'leshua', operation: 'submit', code: 'REFUND_AMOUNT_EXCEED' });
    observer.notification({ gateway: 'leshua', result: 'APPLIED' });
    observer.notification({ gateway: 'leshua', result: 'NOTIFICATION_REJECTED' });
    observer.notification({ gateway: 'leshua', result: 'NOTIFICATION_REJECTED' });
    observer.syncAttempt({ gateway: 'umf' });
    observer.syncRound({ claimed: 3, limited: 1, finished: 1, errors: 1 });
    observer.syncRound({ claimed: 0, limited: 0, finished: 0, errors: 0 });
    observer.manualResolution({ gateway: 'umf', status: 'SUCCEEDED' });
    observer.webhookAttempt({ result: 'given_up' });
    observer.outboxEventSetAside({ event: 'refund.failed' });

    const samples = await samplesOf(metrics);
    const submit = { gateway: 'leshua', operation: 'submit' };
    expect(
      sampleValue(samples, 'refundhub_gateway_call_duration_seconds_count', { ...submit, outcome: 'unknown' }),
    ).toBe(1);
    expect(sampleValue(samples, 'refundhub_gateway_call_duration_seconds_sum', { ...submit, outcome: 'unknown' })).toBe(
      3,
    );
    expect(
      sampleValue(samples, 'refundhub_gateway_call_duration_seconds_bucket', {
        ...submit,
        outcome: 'processing',
        le: '0.05',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'refundhub_gateway_call_duration_seconds_bucket', {
        ...submit,
        outcome: 'processing',
        le: '0.025',
      }),
    ).toBe(0);
    expect(
      sampleValue(samples, 'refundhub_gateway_call_duration_seconds_count', {
        gateway: 'umf',
        operation: 'query',
        outcome: 'succeeded',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'refundhub_gateway_unknown_outcomes_total', { gateway: 'leshua', reason: 'http_5xx' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'refundhub_gateway_rejections_total', { gateway: 'leshua', code: 'REFUND_AMOUNT_EXCEED' }),
    ).toBe(1);
    expect(sampleValue(samples, 'refundhub_notifications_total', { gateway: 'leshua', result: 'applied' })).toBe(1);
    expect(sampleValue(samples, 'refundhub_notifications_total', { gateway: 'leshua', result: 'rejected' })).toBe(2);
    expect(sampleValue(samples, 'refundhub_sync_attempts_total', { gateway: 'umf' })).toBe(1);
    expect(sampleValue(samples, 'refundhub_sync_rounds_total')).toBe(2);
    expect(sampleValue(samples, 'refundhub_sync_claimed_refunds_total')).toBe(3);
    expect(sampleValue(samples, 'refundhub_sync_rate_limited_total')).toBe(1);
    expect(sampleValue(samples, 'refundhub_sync_errors_total')).toBe(1);
    expect(sampleValue(samples, 'refundhub_refunds_resolved_total', { gateway: 'umf', status: 'SUCCEEDED' })).toBe(1);
    expect(sampleValue(samples, 'refundhub_webhook_attempts_total', { result: 'given_up' })).toBe(1);
    expect(sampleValue(samples, 'refundhub_outbox_events_set_aside_total', { event: 'refund.failed' })).toBe(1);
  });

  it('keeps one registry per application: two in one process count apart, with the process metrics in each', async () => {
    const first = new HostMetrics();
    const second = new HostMetrics();
    first.observer.syncRound({ claimed: 2, limited: 0, finished: 2, errors: 0 });

    expect(sampleValue(await samplesOf(first), 'refundhub_sync_claimed_refunds_total')).toBe(2);
    const other = await samplesOf(second);
    expect(sampleValue(other, 'refundhub_sync_claimed_refunds_total')).toBe(0);
    expect(sampleValue(other, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(other.some((sample) => sample.name === 'nodejs_heap_size_used_bytes')).toBe(true);
  });

  it.each([
    ['APPLIED', 'applied'],
    ['UNCHANGED', 'unchanged'],
    ['REPEATED', 'repeated'],
    ['NOTIFICATION_REJECTED', 'rejected'],
    ['NOTIFICATION_AMOUNT_MISMATCH', 'amount_mismatch'],
    ['NOTIFICATION_UNKNOWN_REFUND', 'unknown_refund'],
  ] as const)('labels the notification result %s as %s', (result, label) => {
    expect(notificationLabel(result)).toBe(label);
  });
});

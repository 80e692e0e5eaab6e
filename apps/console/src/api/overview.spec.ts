import { overviewFromMetrics, parsePrometheus } from './overview';

const METRICS = [
  '# HELP refundhub_refunds refunds by status',
  '# TYPE refundhub_refunds gauge',
  'refundhub_refunds{gateway="leshua",status="PROCESSING"} 3',
  'refundhub_refunds{gateway="leshua",status="SUCCEEDED"} 10',
  'refundhub_refunds{gateway="chaoying",status="UNKNOWN"} 1',
  'refundhub_refunds_needing_attention{gateway="chaoying",reason="gateway_change"} 1',
  'refundhub_refunds_needing_attention{gateway="chaoying",reason="sync_exhausted"} 2',
  'refundhub_oldest_unfinished_refund_age_seconds{gateway="leshua"} 3725.4',
  'refundhub_oldest_unfinished_refund_age_seconds{gateway="chaoying"} 0',
  'refundhub_outbox_pending_events 7',
  'refundhub_webhook_deliveries_given_up 2',
  'nodejs_heap_size_total_bytes 1234',
].join('\n');

describe(overviewFromMetrics.name, () => {
  it('reads counts by gateway and status, attention, the oldest age, the outbox and webhooks', () => {
    const sut = overviewFromMetrics(METRICS);

    expect(sut).toEqual({
      source: 'metrics',
      outboxBacklog: 7,
      failingWebhooks: 2,
      gateways: [
        {
          gateway: 'chaoying',
          byStatus: { REQUESTED: 0, PROCESSING: 0, UNKNOWN: 1, SUCCEEDED: 0, FAILED: 0 },
          needsAttention: 3,
          oldestUnfinished: null,
        },
        {
          gateway: 'leshua',
          byStatus: { REQUESTED: 0, PROCESSING: 3, UNKNOWN: 0, SUCCEEDED: 10, FAILED: 0 },
          needsAttention: 0,
          oldestUnfinished: { id: null, createdAt: null, ageSeconds: 3725 },
        },
      ],
    });
  });

  it('reads escaped label values and skips comments', () => {
    expect(parsePrometheus('# x{a="b"} 1\nm{a="q\\"u\\\\o"} 2')).toEqual([
      { name: 'm', labels: { a: 'q"u\\o' }, value: 2 },
    ]);
  });
});

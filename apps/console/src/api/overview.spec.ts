import { toOverview, type OverviewAnswer } from './overview';

const ANSWER: OverviewAnswer = {
  at: '2026-11-30T12:00:00.000Z',
  gateways: [
    {
      gateway: 'leshua',
      total: 13,
      byStatus: { REQUESTED: 0, PROCESSING: 3, UNKNOWN: 0, SUCCEEDED: 10, FAILED: 0 },
      needsAttention: { total: 0, byReason: {} },
      oldestUnfinished: { id: 'rf_1', createdAt: '2026-11-30T10:58:00.000Z', ageSeconds: 3725 },
    },
    {
      gateway: 'chaoying',
      total: 1,
      byStatus: { REQUESTED: 0, PROCESSING: 0, UNKNOWN: 1, SUCCEEDED: 0, FAILED: 0 },
      needsAttention: { total: 3, byReason: { gateway_change: 1, sync_exhausted: 2 } },
      oldestUnfinished: null,
    },
  ],
  webhooks: { givenUp: 2, failing: 1 },
  outbox: { pending: 7, failing: 0, poisoned: 0 },
};

describe(toOverview.name, () => {
  it('keeps counts by gateway and status, sums attention, and reads the outbox and webhooks', () => {
    const sut = toOverview(ANSWER);
    expect(sut.gateways.map((g) => g.gateway)).toEqual(['chaoying', 'leshua']);
    expect(sut.gateways[0]).toMatchObject({ needsAttention: 3, oldestUnfinished: null });
    expect(sut.gateways[1]).toMatchObject({ byStatus: { PROCESSING: 3, SUCCEEDED: 10 }, needsAttention: 0 });
    expect(sut.gateways[1].oldestUnfinished).toEqual(ANSWER.gateways[0].oldestUnfinished);
    expect(sut.outboxBacklog).toBe(7);
    expect(sut.failingWebhooks).toBe(3);
  });

  it('shows no outbox figure to a key that may not see the outbox', () => {
    expect(toOverview({ ...ANSWER, outbox: null }).outboxBacklog).toBeNull();
  });
});

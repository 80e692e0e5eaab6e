import { validateOperatorConfig } from './config';
import { credentialsOf, syncOptionsOf } from './refund-options';

const config = () =>
  validateOperatorConfig(
    {
      scheduler: { backoff: ['1m', '90s', 300000, '6h'], exhaustAfter: '3d', jitter: 0.2 },
      gateways: {
        leshua: {
          baseUrl: 'sandbox',
          sync: { backoff: ['2m', '1h'], concurrency: 8 },
          merchants: {
            '0000000018': { tradeKey: 'T', notifyKey: 'N', rateLimitPerSecond: 5 },
            '0000000019': { tradeKey: 'T2', notifyKey: 'N2' },
          },
        },
      },
    },
    { source: 'spec', env: {} },
  );

describe(syncOptionsOf.name, () => {
  it('reads durations with units, each gateway schedule and each merchant rate limit', () => {
    expect(syncOptionsOf(config())).toEqual({
      batchSize: 50,
      concurrencyPerGateway: 4,
      requestedGraceMs: 60_000,
      backoffMs: [60_000, 90_000, 300_000, 21_600_000],
      jitter: 0.2,
      exhaustAfterMs: 259_200_000,
      gateways: { leshua: { backoffMs: [120_000, 3_600_000], concurrency: 8 } },
      rateLimitPerSecond: { leshua: { '0000000018': 5 } },
    });
  });
});

describe(credentialsOf.name, () => {
  it("hands each gateway its merchants' secrets without the host's own settings", () => {
    expect(credentialsOf(config())).toEqual({
      leshua: {
        '0000000018': { tradeKey: 'T', notifyKey: 'N' },
        '0000000019': { tradeKey: 'T2', notifyKey: 'N2' },
      },
    });
  });
});

describe('schedule durations in the operator file', () => {
  it('names a duration it cannot read by its path', () => {
    expect(() =>
      validateOperatorConfig({ scheduler: { backoff: ['1m', 'soon'] }, gateways: {} }, { source: 'spec', env: {} }),
    ).toThrow(/scheduler\.backoff\.1: expected a duration/);
  });
});

import { validateOperatorConfig } from './config';
import { credentialsOf, gatewayCallTimeoutOf, syncOptionsOf, webhookOptionsOf } from './refund-options';

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

describe(webhookOptionsOf.name, () => {
  const SECRET = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
  const SHOP_SECRET = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
  const OLD_SHOP_SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
  const sha = (c: string) => c.repeat(64);

  it("hands the core the common secret and each API key's own, by the key's name", () => {
    const withWebhooks = validateOperatorConfig(
      {
        api: {
          keys: [
            { name: 'shop-a', sha256: sha('a'), merchants: ['*'], webhookSecret: [SHOP_SECRET, OLD_SHOP_SECRET] },
            { name: 'shop-b', sha256: sha('b'), merchants: ['*'] },
          ],
        },
        webhooks: { secret: SECRET, allowPrivateTargets: true },
        gateways: { leshua: { baseUrl: 'sandbox', merchants: { '0000000018': { tradeKey: 'T', notifyKey: 'N' } } } },
      },
      { source: 'spec', env: {} },
    );
    expect(webhookOptionsOf(withWebhooks)).toEqual({
      secret: [SECRET],
      secretsByRequester: { 'shop-a': [SHOP_SECRET, OLD_SHOP_SECRET] },
      allowPrivateTargets: true,
    });
  });

  it('has no secret and refuses private targets when the file says nothing', () => {
    expect(webhookOptionsOf(config())).toEqual({ secret: null, secretsByRequester: {}, allowPrivateTargets: false });
  });
});

describe(gatewayCallTimeoutOf.name, () => {
  it("bounds a gateway call by the slowest gateway's own timeout plus a margin", () => {
    const sut = validateOperatorConfig(
      {
        gateways: {
          leshua: {
            baseUrl: 'sandbox',
            timeoutMs: 8000,
            merchants: { '0000000018': { tradeKey: 'T', notifyKey: 'N' } },
          },
          chaoying: { baseUrl: 'sandbox', timeoutMs: 12000, merchants: { '00000001': { key: 'K' } } },
        },
      },
      { source: 'spec', env: {} },
    );
    expect(gatewayCallTimeoutOf(sut)).toBe(17_000);
  });
});

import { StaticCredentialsProvider } from '@refundhub/core';
import { z } from 'zod';

import { GatewayCredentials } from './gateway-credentials';

const schema = z.object({
  tradeKey: z.string().min(1),
  notifyKey: z.string().min(1),
  mode: z.enum(['v1', 'v2']).default('v1'),
});

describe('GatewayCredentials', () => {
  const provider = new StaticCredentialsProvider({
    leshua: {
      good: { tradeKey: 'TRADE-SECRET', notifyKey: 'NOTIFY-SECRET', extra: 'ignored' },
      bad: { tradeKey: 'TRADE-SECRET-9', notifyKey: '', mode: 'v9-SECRET' },
      wrongTypes: { tradeKey: 12345678, notifyKey: ['NOTIFY-SECRET'] },
    },
    other: { elsewhere: { tradeKey: 'x', notifyKey: 'y' } },
  });
  const credentials = new GatewayCredentials({ gatewayId: 'leshua', gateway: 'Leshua', provider, schema });

  it('returns the validated credentials', async () => {
    await expect(credentials.find('good')).resolves.toEqual({
      tradeKey: 'TRADE-SECRET',
      notifyKey: 'NOTIFY-SECRET',
      mode: 'v1',
    });
    await expect(credentials.get('good')).resolves.toMatchObject({ tradeKey: 'TRADE-SECRET' });
  });

  it('returns undefined for an unknown merchant, and get() throws', async () => {
    await expect(credentials.find('elsewhere')).resolves.toBeUndefined();
    await expect(credentials.get('nobody')).rejects.toThrow('No Leshua credentials for merchant nobody');
  });

  it('lists every offending field with zod messages, never the values', async () => {
    const error = await credentials.find('bad').then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );

    expect(error?.message).toMatch(/^Leshua credentials of merchant bad are misconfigured: /);
    expect(error?.message).toContain('notifyKey (');
    expect(error?.message).toContain('mode (');
    expect(error?.message).not.toContain('tradeKey');
    expect(error?.message).not.toContain('SECRET');
  });

  it('names fields of the wrong type without showing them', async () => {
    const error = await credentials.get('wrongTypes').then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );

    expect(error?.message).toMatch(/tradeKey \(.*expected string.*\); notifyKey \(.*expected string/);
    expect(error?.message).not.toMatch(/12345678|SECRET/);
  });

  it('reports credentials that are not an object at all', async () => {
    const odd = new GatewayCredentials({
      gatewayId: 'umf',
      gateway: 'UMF',
      provider: { get: async () => ({ 0: 'x' }) },
      schema: z.string(),
    });

    await expect(odd.find('m')).rejects.toThrow(/^UMF credentials of merchant m are misconfigured: \(credentials\) \(/);
  });
});

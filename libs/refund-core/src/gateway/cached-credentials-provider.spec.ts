import { FakeClock } from '../testing/fake-clock';
import { CachedCredentialsProvider } from './cached-credentials-provider';
import { CredentialsProvider, StaticCredentialsProvider, type MerchantCredentials } from './credentials-provider';
import { credentialsProviderFrom, DEFAULT_CREDENTIALS_CACHE_TTL_MS } from './credentials-provider.factory';

const KEYS = { tradeKey: 'T', notifyKey: 'N' };

/** A host vault that counts what it is asked and can be told to fail. */
class CountingVault extends CredentialsProvider {
  readonly asked: string[] = [];
  failing = false;
  readonly secrets = new Map<string, MerchantCredentials>([['leshua/M1', KEYS]]);

  async get(gateway: string, merchantId: string): Promise<MerchantCredentials | undefined> {
    this.asked.push(`${gateway}/${merchantId}`);
    if (this.failing) throw new Error('vault unreachable');
    return this.secrets.get(`${gateway}/${merchantId}`);
  }
}

describe('CachedCredentialsProvider', () => {
  let vault: CountingVault;
  let clock: FakeClock;
  let cached: CachedCredentialsProvider;

  beforeEach(() => {
    vault = new CountingVault();
    clock = new FakeClock();
    cached = new CachedCredentialsProvider({ source: vault, ttlMs: 1000, clock });
  });

  it('asks the source once per merchant within the TTL, and again once it has passed', async () => {
    expect(await cached.get('leshua', 'M1')).toEqual(KEYS);
    clock.advance(999);
    expect(await cached.get('leshua', 'M1')).toEqual(KEYS);
    expect(vault.asked).toEqual(['leshua/M1']);
    clock.advance(1);
    expect(await cached.get('leshua', 'M1')).toEqual(KEYS);
    expect(vault.asked).toEqual(['leshua/M1', 'leshua/M1']);
  });

  it('shares a lookup in flight between concurrent refunds of one merchant', async () => {
    const answers = await Promise.all([cached.get('leshua', 'M1'), cached.get('leshua', 'M1')]);
    expect(answers).toEqual([KEYS, KEYS]);
    expect(vault.asked).toEqual(['leshua/M1']);
  });

  it('keeps merchants apart by gateway and id, without key collisions', async () => {
    await cached.get('leshua', 'M1');
    expect(await cached.get('umf', 'M1')).toBeUndefined();
    expect(await cached.get('leshua/M', '1')).toBeUndefined();
    expect(vault.asked).toEqual(['leshua/M1', 'umf/M1', 'leshua/M/1']);
  });

  it('does not keep an unknown merchant: one added to the vault is found on the next refund', async () => {
    expect(await cached.get('leshua', 'M2')).toBeUndefined();
    vault.secrets.set('leshua/M2', KEYS);
    expect(await cached.get('leshua', 'M2')).toEqual(KEYS);
  });

  it('does not keep a failed lookup: the next refund asks again', async () => {
    vault.failing = true;
    await expect(cached.get('leshua', 'M1')).rejects.toThrow('vault unreachable');
    vault.failing = false;
    expect(await cached.get('leshua', 'M1')).toEqual(KEYS);
    expect(vault.asked).toHaveLength(2);
  });

  it('forgets one merchant or all on demand (a key rotation)', async () => {
    await cached.get('leshua', 'M1');
    cached.forget({ gateway: 'leshua', merchantId: 'M1' });
    await cached.get('leshua', 'M1');
    cached.forget();
    await cached.get('leshua', 'M1');
    expect(vault.asked).toHaveLength(3);
  });
});

describe('credentialsProviderFrom', () => {
  it('uses a configured map as it is', () => {
    const provider = credentialsProviderFrom({ credentials: { leshua: { M1: KEYS } } });
    expect(provider).toBeInstanceOf(StaticCredentialsProvider);
  });

  it(`puts a host provider behind a cache of ${DEFAULT_CREDENTIALS_CACHE_TTL_MS} ms by default`, async () => {
    const vault = new CountingVault();
    const clock = new FakeClock();
    const provider = credentialsProviderFrom({ credentials: vault, clock });
    expect(provider).toBeInstanceOf(CachedCredentialsProvider);
    await provider.get('leshua', 'M1');
    clock.advance(DEFAULT_CREDENTIALS_CACHE_TTL_MS - 1);
    await provider.get('leshua', 'M1');
    expect(vault.asked).toHaveLength(1);
  });

  it('hands the host provider over as it is with credentialsCacheTtlMs 0', () => {
    const vault = new CountingVault();
    expect(credentialsProviderFrom({ credentials: vault, credentialsCacheTtlMs: 0 })).toBe(vault);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses credentialsCacheTtlMs %p', (ttl) => {
    expect(() => credentialsProviderFrom({ credentials: new CountingVault(), credentialsCacheTtlMs: ttl })).toThrow(
      'credentialsCacheTtlMs',
    );
  });
});

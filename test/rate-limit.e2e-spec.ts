import { ApiHarness, KEYS, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';

/** The window outlasts any run of this suite, so the counts below never reset under it. */
const WINDOW = '10m';

describeWithDialect('sqlite', 'rate limiting per API key and per address', () => {
  let h: ApiHarness;

  afterEach(async () => {
    await h?.close();
  });

  const start = (rateLimit: Record<string, unknown>) =>
    startApi('sqlite', { rateLimit: { window: WINDOW, ...rateLimit } }).then((started) => (h = started));

  it('answers 429 with Retry-After once a key has spent its budget, across every route', async () => {
    await start({ perKey: 3, perAddress: 1000 });

    // Three different routes share one budget.
    expect((await h.call('GET', '/me')).status).toBe(200);
    expect((await h.call('GET', '/refunds')).status).toBe(200);
    const third = await h.call('GET', '/refunds/rf_00000000000000000000000000000000');
    expect(third.status).toBe(404);
    expect(third.headers.get('x-ratelimit-limit')).toBe('3');
    expect(third.headers.get('x-ratelimit-remaining')).toBe('0');

    const refused = await h.call('GET', '/me');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
      message: `Too many requests for this API key: at most 3 every 600 s. Retry after ${retryAfter} s`,
      retryAfterSeconds: retryAfter,
    });
    // A refused request changes nothing: still refused, and no refund was made by the one below.
    expect((await h.call('POST', '/refunds', {})).status).toBe(429);
    expect((await h.rowCounts()).refunds).toBe(0);
  });

  it('counts each key on its own', async () => {
    await start({ perKey: 1, perAddress: 1000 });

    expect((await h.call('GET', '/me', undefined, KEYS.all)).status).toBe(200);
    expect((await h.call('GET', '/me', undefined, KEYS.all)).status).toBe(429);
    expect((await h.call('GET', '/me', undefined, KEYS.shop)).status).toBe(200);
  });

  it('counts requests without a valid key by address, so guessing keys is limited too', async () => {
    await start({ perKey: 1000, perAddress: 2 });

    expect((await h.call('GET', '/health/live', undefined, null)).status).toBe(200);
    expect((await h.call('GET', '/me', undefined, 'rh_guess_1')).status).toBe(401);
    const refused = await h.call('GET', '/me', undefined, 'rh_guess_2');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.body['message']).toMatch(/^Too many requests from this address: at most 2 every 600 s/);
    // The address's budget is not the key's: a valid key from the same address still gets in.
    expect((await h.call('GET', '/me')).status).toBe(200);
  });

  it('limits nothing when turned off', async () => {
    await start({ enabled: false, perKey: 1, perAddress: 1 });

    for (let i = 0; i < 5; i += 1) expect((await h.call('GET', '/me')).status).toBe(200);
    expect((await h.call('GET', '/me')).headers.get('x-ratelimit-limit')).toBeNull();
  });
});

describeWithDialect('sqlite', 'GET /me', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApi('sqlite');
  });
  afterAll(async () => {
    await h?.close();
  });

  it("names the caller's key, its merchants and its scopes, and nothing secret", async () => {
    const all = await h.call('GET', '/me');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ name: 'all', merchants: ['*'], scopes: [] });

    const shop = await h.call('GET', '/me', undefined, KEYS.shop);
    expect(shop.body).toEqual({ name: 'shop', merchants: ['leshua:0000000018'], scopes: [] });

    const operator = await h.call('GET', '/me', undefined, KEYS.operator);
    expect(operator.body).toEqual({ name: 'operator', merchants: ['*'], scopes: ['operator'] });
    expect(operator.text).not.toMatch(/sha256|rh_e2e/);
  });

  it('answers 401 without a key', async () => {
    const answer = await h.call('GET', '/me', undefined, null);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

import { HealthController } from './health.controller';
import { ADMIN_KEY, HttpTestApp, bearer, createHttpTestApp } from './testing/http-test-app';

describe(HealthController.name, () => {
  let sut: HttpTestApp;

  beforeAll(async () => {
    sut = await createHttpTestApp({ gatewayIds: ['leshua', 'umf'] });
  });

  afterAll(() => sut.app.close());

  it('answers 200 without an API key when the database is up, and says nothing more', async () => {
    sut.orm.isConnected.mockResolvedValueOnce(true);
    const res = await sut.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('shows the checks and the gateways to a caller with a valid key', async () => {
    sut.orm.isConnected.mockResolvedValueOnce(true);
    const res = await sut.app.inject({ method: 'GET', url: '/health', headers: bearer(ADMIN_KEY) });
    expect(res.json()).toEqual({ status: 'ok', checks: { database: 'up' }, gateways: ['leshua', 'umf'] });
  });

  it('treats a wrong key as no key, not as a 401', async () => {
    sut.orm.isConnected.mockResolvedValueOnce(true);
    const res = await sut.app.inject({ method: 'GET', url: '/health', headers: bearer('rk_wrong') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 when the database is down', async () => {
    sut.orm.isConnected.mockResolvedValueOnce(false);
    const res = await sut.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'error' });
    sut.orm.isConnected.mockResolvedValueOnce(false);
    const known = await sut.app.inject({ method: 'GET', url: '/health', headers: bearer(ADMIN_KEY) });
    expect(known.json()).toEqual({ status: 'error', checks: { database: 'down' }, gateways: ['leshua', 'umf'] });
  });

  it('answers 503 when the check itself throws', async () => {
    sut.orm.isConnected.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    const res = await sut.app.inject({ method: 'GET', url: '/health', headers: bearer(ADMIN_KEY) });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'error', checks: { database: 'down' } });
  });

  it('answers 503 instead of hanging when the database does not answer', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      sut.orm.isConnected.mockReturnValueOnce(new Promise<boolean>(() => undefined));
      const pending = sut.app.inject({ method: 'GET', url: '/health' });
      await jest.advanceTimersByTimeAsync(2_000);
      const res = await pending;
      expect(res.statusCode).toBe(503);
    } finally {
      jest.useRealTimers();
    }
  });
});

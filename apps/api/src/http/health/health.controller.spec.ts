import { HealthController } from './health.controller';
import { ADMIN_KEY, HttpTestApp, bearer, createHttpTestApp } from '../testing/http-test-app';

describe(HealthController.name, () => {
  let sut: HttpTestApp;

  beforeAll(async () => {
    sut = await createHttpTestApp({ gatewayIds: ['leshua', 'umf'] });
  });

  afterAll(() => sut.app.close());

  const get = (url: string, key?: string) =>
    sut.app.inject({ method: 'GET', url, ...(key === undefined ? {} : { headers: bearer(key) }) });

  it.each(['/health', '/health/live'])(
    '%s answers 200 without asking the database, and says nothing more',
    async (url) => {
      sut.orm.isConnected.mockClear();
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
      expect(sut.orm.isConnected).not.toHaveBeenCalled();
    },
  );

  it('/health/ready answers 200 without an API key when the database is up, and says nothing more', async () => {
    sut.orm.isConnected.mockResolvedValueOnce(true);
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('shows the checks and the gateways to a caller with a valid key', async () => {
    sut.orm.isConnected.mockResolvedValueOnce(true);
    const res = await get('/health/ready', ADMIN_KEY);
    expect(res.json()).toEqual({
      status: 'ok',
      checks: { database: 'up', outbox: 'up', scheduler: 'up', shutdown: 'up' },
      details: { database: {}, outbox: {}, scheduler: { running: false }, shutdown: { stopping: false } },
      gateways: ['leshua', 'umf'],
    });
    expect((await get('/health/live', ADMIN_KEY)).json()).toEqual({
      status: 'ok',
      checks: {},
      details: {},
      gateways: ['leshua', 'umf'],
    });
  });

  it('treats a wrong key as no key, not as a 401', async () => {
    sut.orm.isConnected.mockResolvedValueOnce(true);
    const res = await get('/health/ready', 'rk_wrong');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/health/ready answers 503 when the database is down; /health/live stays 200', async () => {
    sut.orm.isConnected.mockResolvedValueOnce(false);
    const res = await get('/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'error' });
    sut.orm.isConnected.mockResolvedValueOnce(false);
    const known = await get('/health/ready', ADMIN_KEY);
    expect(known.json()).toMatchObject({ status: 'error', checks: { database: 'down' } });
    expect((await get('/health/live')).statusCode).toBe(200);
  });

  it('answers 503 when the check itself throws', async () => {
    sut.orm.isConnected.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    const res = await get('/health/ready', ADMIN_KEY);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'error', checks: { database: 'down' } });
  });

  it('answers 503 instead of hanging when the database does not answer', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      sut.orm.isConnected.mockReturnValueOnce(new Promise<boolean>(() => undefined));
      const pending = get('/health/ready');
      await jest.advanceTimersByTimeAsync(2_000);
      const res = await pending;
      expect(res.statusCode).toBe(503);
    } finally {
      jest.useRealTimers();
    }
  });
});

import { sha256Hex } from './api-keys';
import { DEMO_API_KEY, DEMO_ORDER, demoOperatorConfig, demoOrders } from './demo-config';
import { captureConfigError } from './testing/capture-config-error';

describe(demoOperatorConfig.name, () => {
  it('runs SQLite and the Leshua sandbox on 127.0.0.1:3000 with the documented key', () => {
    const sut = demoOperatorConfig({});

    expect(sut.database).toEqual({ driver: 'sqlite', path: './data/refundhub-demo.sqlite' });
    expect(sut.api).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      publicUrl: 'http://127.0.0.1:3000',
    });
    expect(sut.api.keys).toEqual([
      { name: 'demo', sha256: sha256Hex(DEMO_API_KEY), merchants: ['*'], scopes: ['operator'] },
    ]);
    expect(sut.logging).toEqual({ level: 'info', format: 'pretty' });
    expect(sut.console).toEqual({ enabled: true });
    expect(sut.scheduler).toMatchObject({ enabled: true, intervalMs: 2000 });
    expect(sut.gateways.leshua?.baseUrl).toBe('sandbox');
    expect(Object.keys(sut.gateways.leshua?.merchants ?? {})).toEqual([DEMO_ORDER.merchantId]);
  });

  it('takes the port from PORT, and the public URL with it', () => {
    const sut = demoOperatorConfig({ PORT: '8080' });

    expect(sut.api.port).toBe(8080);
    expect(sut.api.publicUrl).toBe('http://127.0.0.1:8080');
  });

  it('reports a bad PORT as api.port', () => {
    expect(captureConfigError(() => demoOperatorConfig({ PORT: 'eighty' })).problems).toEqual([
      'api.port: expected a number, got a string',
    ]);
    expect(captureConfigError(() => demoOperatorConfig({ PORT: '70000' })).problems).toEqual([
      'api.port: must be <= 65535',
    ]);
  });

  it('documents the key and the paid order', () => {
    expect(DEMO_API_KEY).toBe('rh_demo_0000000000000000');
    expect(DEMO_ORDER).toEqual({
      gateway: 'leshua',
      merchantId: '0000000018',
      merchantOrderNo: 'T20250101000001',
      gatewayOrderNo: '8001122165823107',
      totalAmount: 300,
    });
  });

  it('runs UMF and Baofoo on their sandboxes with merchant keys made for this run, and orders paid an hour ago', () => {
    const sut = demoOperatorConfig({});
    const umf = sut.gateways.umf?.merchants['30000101'];
    const baofoo = sut.gateways.baofoo?.merchants['100000'];
    expect(umf).toMatchObject({ proxyId: '0025', privateKey: expect.stringContaining('BEGIN PRIVATE KEY') });
    expect(baofoo).toMatchObject({ terId: '200000', privateKey: expect.stringContaining('BEGIN PRIVATE KEY') });
    // The same keys on a second look within the process: the sandbox and the module agree.
    expect(demoOperatorConfig({}).gateways.umf?.merchants['30000101']).toEqual(umf);

    const orders = demoOrders();
    expect(orders.map((order) => order.gateway)).toEqual(['leshua', 'chaoying', 'umf', 'baofoo']);
    const paidAt = orders.find((order) => order.gateway === 'umf')?.paidAt;
    expect(Date.now() - paidAt!.getTime()).toBeGreaterThanOrEqual(3_600_000);
    expect(Date.now() - paidAt!.getTime()).toBeLessThan(3_600_000 + 60_000);
    expect(demoOrders()).toEqual(orders);
  });

  it('signs webhooks with a secret made for this run, and lets them reach a receiver on this machine', () => {
    const sut = demoOperatorConfig({});
    expect(sut.webhooks).toMatchObject({ secret: [expect.stringMatching(/^whsec_/)], allowPrivateTargets: true });
    expect(demoOperatorConfig({}).webhooks.secret).toEqual(sut.webhooks.secret);
  });
});

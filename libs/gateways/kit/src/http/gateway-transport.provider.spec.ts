import { Test } from '@nestjs/testing';

import { AxiosGatewayTransport } from './axios-gateway-transport';
import { GatewayTransport, type TransportRequest, type TransportResult } from './gateway-transport';
import { provideGatewayTransport, provideGatewayTransportFrom } from './gateway-transport.provider';

class CannedTransport extends GatewayTransport {
  readonly calls: TransportRequest[] = [];

  async post(request: TransportRequest): Promise<TransportResult> {
    this.calls.push(request);
    return { kind: 'answer', status: 200, body: 'ok', headers: {} };
  }
}

describe('provideGatewayTransport', () => {
  it('binds the axios transport by default', async () => {
    const module = await Test.createTestingModule({ providers: [provideGatewayTransport()] }).compile();

    expect(module.get(GatewayTransport)).toBeInstanceOf(AxiosGatewayTransport);
  });

  it('binds a given instance', async () => {
    const canned = new CannedTransport();
    const module = await Test.createTestingModule({
      providers: [provideGatewayTransport({ useValue: canned })],
    }).compile();

    const transport = module.get(GatewayTransport);
    await transport.post({ url: 'http://gateway.test/', body: 'a=1', headers: {}, timeoutMs: 10 });

    expect(transport).toBe(canned);
    expect(canned.calls).toEqual([{ url: 'http://gateway.test/', body: 'a=1', headers: {}, timeoutMs: 10 }]);
  });

  it('binds a given class', async () => {
    const module = await Test.createTestingModule({
      providers: [provideGatewayTransport({ useClass: CannedTransport })],
    }).compile();

    expect(module.get(GatewayTransport)).toBeInstanceOf(CannedTransport);
  });

  it('lets a test override the default through Nest DI', async () => {
    const canned = new CannedTransport();
    const module = await Test.createTestingModule({ providers: [provideGatewayTransport()] })
      .overrideProvider(GatewayTransport)
      .useValue(canned)
      .compile();

    expect(module.get(GatewayTransport)).toBe(canned);
  });
});

describe('provideGatewayTransportFrom', () => {
  const OPTIONS = Symbol('OPTIONS');

  it('uses the transport of the module options, or the axios transport without one', async () => {
    const canned = new CannedTransport();
    const given = await Test.createTestingModule({
      providers: [{ provide: OPTIONS, useValue: { transport: canned } }, provideGatewayTransportFrom(OPTIONS)],
    }).compile();
    expect(given.get(GatewayTransport)).toBe(canned);

    const fallback = await Test.createTestingModule({
      providers: [{ provide: OPTIONS, useValue: {} }, provideGatewayTransportFrom(OPTIONS)],
    }).compile();
    expect(fallback.get(GatewayTransport)).toBeInstanceOf(AxiosGatewayTransport);
  });
});

import { Test } from '@nestjs/testing';

import { GatewayTransport, type TransportRequest, type TransportResult } from './gateway-transport';
import { AxiosGatewayTransport } from './axios-gateway-transport';
import { defaultGatewayTransport, namesProxy } from './default-gateway-transport';
import { provideGatewayTransport, provideGatewayTransportFrom } from './gateway-transport.provider';
import { NodeHttpGatewayTransport } from './node-http-gateway-transport';

class CannedTransport extends GatewayTransport {
  readonly calls: TransportRequest[] = [];

  async post(request: TransportRequest): Promise<TransportResult> {
    this.calls.push(request);
    return { kind: 'answer', status: 200, body: 'ok', headers: {} };
  }
}

/** The default as the environment makes it; a test run behind a proxy gets the axios transport. */
const DEFAULT_CLASS = namesProxy(process.env) ? AxiosGatewayTransport : NodeHttpGatewayTransport;

describe('defaultGatewayTransport', () => {
  it('is the node:http transport without a proxy in the environment', () => {
    expect(defaultGatewayTransport({ env: { PATH: '/bin', no_proxy: '*' } })).toBeInstanceOf(NodeHttpGatewayTransport);
  });

  it.each(['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'ALL_PROXY', 'npm_config_proxy', 'npm_config_https_proxy'])(
    'is the axios transport, which honours it, when %s names a proxy',
    (name) => {
      expect(defaultGatewayTransport({ env: { [name]: 'http://egress.internal:3128' } })).toBeInstanceOf(
        AxiosGatewayTransport,
      );
      expect(defaultGatewayTransport({ env: { [name]: '' } })).toBeInstanceOf(NodeHttpGatewayTransport);
    },
  );
});

describe('provideGatewayTransport', () => {
  it('binds the default transport without a binding', async () => {
    const module = await Test.createTestingModule({ providers: [provideGatewayTransport()] }).compile();

    expect(module.get(GatewayTransport)).toBeInstanceOf(DEFAULT_CLASS);
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

  it('uses the transport of the module options, or the default transport without one', async () => {
    const canned = new CannedTransport();
    const given = await Test.createTestingModule({
      providers: [{ provide: OPTIONS, useValue: { transport: canned } }, provideGatewayTransportFrom(OPTIONS)],
    }).compile();
    expect(given.get(GatewayTransport)).toBe(canned);

    const fallback = await Test.createTestingModule({
      providers: [{ provide: OPTIONS, useValue: {} }, provideGatewayTransportFrom(OPTIONS)],
    }).compile();
    expect(fallback.get(GatewayTransport)).toBeInstanceOf(DEFAULT_CLASS);
  });
});

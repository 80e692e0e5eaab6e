import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { GatewayTransport, type TransportRequest, type TransportResult } from './gateway-transport';

/** A consumer as an adapter's client is: it asks for the abstract class only. */
@Injectable()
class Client {
  constructor(readonly transport: GatewayTransport) {}

  send(): Promise<TransportResult> {
    return this.transport.post({ url: 'http://gateway.test/', body: 'a=1', headers: {}, timeoutMs: 50 });
  }
}

class FailingTransport extends GatewayTransport {
  readonly calls: TransportRequest[] = [];

  async post(request: TransportRequest): Promise<TransportResult> {
    this.calls.push(request);
    return { kind: 'failure', reason: 'connection', detail: 'connection error (simulated)' };
  }
}

describe('GatewayTransport', () => {
  it('is the DI token: consumers get whichever implementation the module binds', async () => {
    const fake = new FailingTransport();
    const module = await Test.createTestingModule({
      providers: [Client, { provide: GatewayTransport, useValue: fake }],
    }).compile();

    const result = await module.get(Client).send();

    expect(result).toEqual({ kind: 'failure', reason: 'connection', detail: 'connection error (simulated)' });
    expect(fake.calls).toEqual([{ url: 'http://gateway.test/', body: 'a=1', headers: {}, timeoutMs: 50 }]);
  });
});

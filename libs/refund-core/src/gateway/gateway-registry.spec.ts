import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';

import { DuplicateGatewayError, UnknownGatewayError } from '../errors';
import { FakeGateway } from '../testing/fake-gateway';
import { GatewayRegistry } from './gateway-registry';

@Injectable()
class AlphaGateway extends FakeGateway {
  constructor() {
    super('alpha');
  }
}

describe(GatewayRegistry.name, () => {
  const boot = (providers: Parameters<typeof Test.createTestingModule>[0]['providers']) => {
    @Module({ imports: [DiscoveryModule], providers: [GatewayRegistry, ...(providers ?? [])] })
    class HostModule {}
    return Test.createTestingModule({ imports: [HostModule] })
      .compile()
      .then((m) => m.init());
  };

  it('finds every decorated adapter, class or value providers alike', async () => {
    const app = await boot([AlphaGateway, { provide: 'beta', useValue: new FakeGateway('beta') }]);
    const sut = app.get(GatewayRegistry);
    expect(sut.ids().sort()).toEqual(['alpha', 'beta']);
    expect(sut.get('alpha')).toBeInstanceOf(AlphaGateway);
    expect(() => sut.get('gamma')).toThrow(UnknownGatewayError);
    await app.close();
  });

  it('fails the boot when two adapters claim the same id', async () => {
    await expect(
      boot([
        { provide: 'one', useValue: new FakeGateway('same') },
        { provide: 'two', useValue: new FakeGateway('same') },
      ]),
    ).rejects.toBeInstanceOf(DuplicateGatewayError);
  });
});

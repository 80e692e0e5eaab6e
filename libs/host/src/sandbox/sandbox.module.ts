import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';

import type { OperatorConfig } from '../config';
import { GatewaySandboxes } from './gateway-sandboxes';

@Global()
@Module({})
export class SandboxModule implements OnApplicationShutdown {
  constructor(@Inject(GatewaySandboxes) private readonly sandboxes: GatewaySandboxes) {}

  static forConfig(config: OperatorConfig, demo: boolean): DynamicModule {
    return {
      module: SandboxModule,
      providers: [{ provide: GatewaySandboxes, useFactory: () => GatewaySandboxes.start(config, demo) }],
      exports: [GatewaySandboxes],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sandboxes.stop();
  }
}

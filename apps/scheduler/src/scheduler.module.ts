import { DynamicModule, Module } from '@nestjs/common';

import { LoadedConfig, RefundHostModule } from '@refundhub/host';

/**
 * The status-sync host: no HTTP, only the loop that brings every unfinished refund to its
 * final status. It always runs the loop, whatever `scheduler.enabled` says for the API.
 */
@Module({})
export class SchedulerModule {
  static forConfig(loaded: LoadedConfig): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [RefundHostModule.forConfig(loaded, { runSyncLoop: true, allowSandboxes: false })],
    };
  }
}

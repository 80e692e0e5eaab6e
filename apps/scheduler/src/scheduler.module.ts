import { DynamicModule, Module } from '@nestjs/common';

import { LoadedConfig, LoggingSetupOptions, RefundHostModule, RefundhubLoggingModule } from '@refundhub/host';

/**
 * The status-sync host: no HTTP, only the loop that brings every unfinished refund to its
 * final status. It always runs the loop, whatever `scheduler.enabled` says for the API.
 */
@Module({})
export class SchedulerModule {
  static forConfig(loaded: LoadedConfig, logs: LoggingSetupOptions = {}): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [
        RefundhubLoggingModule.forConfig(loaded.config, logs),
        RefundHostModule.forConfig(loaded, { runSyncLoop: true, allowSandboxes: false }),
      ],
    };
  }
}

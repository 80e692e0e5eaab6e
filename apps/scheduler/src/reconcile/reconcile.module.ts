import { DynamicModule, Module } from '@nestjs/common';

import { LoadedConfig, RefundHostModule } from '@refundhub/host';

/**
 * The reconciliation command's host: the operator's database and gateways, as the scheduler has
 * them, and no loop at all. The events a correction records are relayed by the long-running hosts.
 */
@Module({})
export class ReconcileModule {
  static forConfig(loaded: LoadedConfig): DynamicModule {
    return {
      module: ReconcileModule,
      imports: [
        RefundHostModule.forConfig(loaded, { runSyncLoop: false, allowSandboxes: false, runDeliveryLoops: false }),
      ],
    };
  }
}

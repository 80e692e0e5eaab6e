import { Module } from '@nestjs/common';
import { provideGatewayTransportFrom } from '@refundhub/gateway-kit';

import { ChaoyingClient } from './chaoying.client';
import { ChaoyingCredentials } from './chaoying.credentials';
import { ChaoyingGateway } from './chaoying.gateway';
import { CHAOYING_OPTIONS, ChaoyingConfigurableModule } from './chaoying.module-definition';
import { ChaoyingSettings, type ChaoyingOptions } from './chaoying.options';

/**
 * The Chaoying refund gateway. `ChaoyingModule.forRoot({ baseUrl })` or `forRootAsync({ useFactory, inject })`;
 * merchant keys come from the global `CredentialsProvider` (see {@link ChaoyingMerchantCredentials}).
 * The HTTP transport is the kit's node:http transport (axios when a proxy variable such as `HTTPS_PROXY` is set) unless the `transport` option gives another.
 */
@Module({
  providers: [
    {
      provide: ChaoyingSettings,
      useFactory: (options: ChaoyingOptions) => new ChaoyingSettings(options),
      inject: [CHAOYING_OPTIONS],
    },
    provideGatewayTransportFrom(CHAOYING_OPTIONS),
    ChaoyingClient,
    ChaoyingCredentials,
    ChaoyingGateway,
  ],
  exports: [ChaoyingGateway],
})
export class ChaoyingModule extends ChaoyingConfigurableModule {}

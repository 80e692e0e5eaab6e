import { Module } from '@nestjs/common';
import { provideGatewayTransportFrom } from '@refundhub/gateway-kit';

import { LeshuaClient } from './leshua.client';
import { LeshuaCredentials } from './leshua.credentials';
import { LeshuaGateway } from './leshua.gateway';
import { LESHUA_OPTIONS, LeshuaConfigurableModule } from './leshua.module-definition';
import { LeshuaNotifications } from './leshua.notify';
import { LeshuaSettings, type LeshuaOptions } from './leshua.options';
import { LeshuaResponseVerifier } from './leshua.response-verifier';

/**
 * The Leshua refund gateway. `LeshuaModule.forRoot({ baseUrl })` or `forRootAsync({ useFactory, inject })`;
 * merchant keys come from the global `CredentialsProvider` (see {@link LeshuaMerchantCredentials}).
 * The HTTP transport is the kit's node:http transport (axios when a proxy variable such as `HTTPS_PROXY` is set) unless the `transport` option gives another.
 */
@Module({
  providers: [
    {
      provide: LeshuaSettings,
      useFactory: (options: LeshuaOptions) => new LeshuaSettings(options),
      inject: [LESHUA_OPTIONS],
    },
    provideGatewayTransportFrom(LESHUA_OPTIONS),
    LeshuaClient,
    LeshuaCredentials,
    LeshuaResponseVerifier,
    LeshuaNotifications,
    LeshuaGateway,
  ],
  exports: [LeshuaGateway],
})
export class LeshuaModule extends LeshuaConfigurableModule {}

import { Module } from '@nestjs/common';
import { provideGatewayTransportFrom } from '@refundhub/gateway-kit';

import { UmfClient } from './umf.client';
import { UmfCredentials } from './umf.credentials';
import { UmfGateway } from './umf.gateway';
import { UMF_OPTIONS, UmfConfigurableModule } from './umf.module-definition';
import { UmfNotifications } from './umf.notify';
import { UmfSettings, type UmfOptions } from './umf.options';
import { UmfPlatformVerifier } from './umf.platform-verifier';

/**
 * The UMF refund gateway. `UmfModule.forRoot({ baseUrl, platformCertificate })` or
 * `forRootAsync({ useFactory, inject })`; merchant keys come from the global `CredentialsProvider`
 * (see {@link UmfMerchantCredentials}). The HTTP transport is the kit's node:http transport (axios when a proxy variable such as `HTTPS_PROXY` is set) unless the
 * `transport` option gives another.
 */
@Module({
  providers: [
    {
      provide: UmfSettings,
      useFactory: (options: UmfOptions) => new UmfSettings(options),
      inject: [UMF_OPTIONS],
    },
    provideGatewayTransportFrom(UMF_OPTIONS),
    UmfClient,
    UmfCredentials,
    UmfPlatformVerifier,
    UmfNotifications,
    UmfGateway,
  ],
  exports: [UmfGateway],
})
export class UmfModule extends UmfConfigurableModule {}

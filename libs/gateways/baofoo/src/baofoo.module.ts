import { Module } from '@nestjs/common';
import { provideGatewayTransportFrom } from '@refundhub/gateway-kit';

import { BaofooClient } from './baofoo.client';
import { BaofooCredentials } from './baofoo.credentials';
import { BaofooGateway } from './baofoo.gateway';
import { BAOFOO_OPTIONS, BaofooConfigurableModule } from './baofoo.module-definition';
import { BaofooNotifications } from './baofoo.notify';
import { BaofooSettings, type BaofooOptions } from './baofoo.options';

/**
 * The Baofoo refund gateway. `BaofooModule.forRoot({ baseUrl, platformPublicKey })` or
 * `forRootAsync({ useFactory, inject })`; merchant ids and keys come from the global `CredentialsProvider`
 * (see {@link BaofooMerchantCredentials}). The HTTP transport is the kit's node:http transport (axios when a proxy variable such as `HTTPS_PROXY` is set) unless the
 * `transport` option gives another.
 */
@Module({
  providers: [
    {
      provide: BaofooSettings,
      useFactory: (options: BaofooOptions) => new BaofooSettings(options),
      inject: [BAOFOO_OPTIONS],
    },
    provideGatewayTransportFrom(BAOFOO_OPTIONS),
    BaofooClient,
    BaofooCredentials,
    BaofooNotifications,
    BaofooGateway,
  ],
  exports: [BaofooGateway],
})
export class BaofooModule extends BaofooConfigurableModule {}

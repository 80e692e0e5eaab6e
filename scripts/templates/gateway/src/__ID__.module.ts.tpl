import { Module } from '@nestjs/common';
import { provideGatewayTransportFrom } from '@refundhub/gateway-kit';

import { __Id__Client } from './__ID__.client';
import { __Id__Credentials } from './__ID__.credentials';
import { __Id__Gateway } from './__ID__.gateway';
import { __ID_UPPER___OPTIONS, __Id__ConfigurableModule } from './__ID__.module-definition';
import { __Id__Settings, type __Id__Options } from './__ID__.options';

/**
 * The __Id__ refund gateway. `__Id__Module.forRoot({ baseUrl })` or `forRootAsync({ useFactory, inject })`;
 * merchant keys come from the global `CredentialsProvider` (see {@link __Id__MerchantCredentials}).
 * The HTTP transport is the kit's axios transport unless the `transport` option gives another.
 */
@Module({
  providers: [
    {
      provide: __Id__Settings,
      useFactory: (options: __Id__Options) => new __Id__Settings(options),
      inject: [__ID_UPPER___OPTIONS],
    },
    provideGatewayTransportFrom(__ID_UPPER___OPTIONS),
    __Id__Client,
    __Id__Credentials,
    __Id__Gateway,
  ],
  exports: [__Id__Gateway],
})
export class __Id__Module extends __Id__ConfigurableModule {}

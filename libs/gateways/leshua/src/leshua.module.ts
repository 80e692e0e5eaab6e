import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';

import { LeshuaClient } from './leshua.client';
import { LeshuaCredentials } from './leshua.credentials';
import { LeshuaGateway } from './leshua.gateway';
import { LESHUA_OPTIONS, LeshuaConfigurableModule } from './leshua.module-definition';
import { LeshuaNotificationReader } from './leshua.notify';
import { LeshuaSettings, type LeshuaOptions } from './leshua.options';
import { LeshuaResponseVerifier } from './leshua.response-verifier';

/**
 * The Leshua refund gateway. `LeshuaModule.forRoot({ baseUrl })` or `forRootAsync({ useFactory, inject })`;
 * merchant keys come from the global `CredentialsProvider` (see {@link LeshuaMerchantCredentials}).
 */
@Module({
  imports: [HttpModule],
  providers: [
    {
      provide: LeshuaSettings,
      useFactory: (options: LeshuaOptions) => new LeshuaSettings(options),
      inject: [LESHUA_OPTIONS],
    },
    LeshuaClient,
    LeshuaCredentials,
    LeshuaResponseVerifier,
    LeshuaNotificationReader,
    LeshuaGateway,
  ],
  exports: [LeshuaGateway],
})
export class LeshuaModule extends LeshuaConfigurableModule {}

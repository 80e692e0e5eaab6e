import { Module, type DynamicModule } from '@nestjs/common';
import { CredentialsProvider, StaticCredentialsProvider, type StaticCredentials } from '@refundhub/core';

/**
 * Provides `CredentialsProvider` globally, as `RefundModule` does in an app, so that a gateway module
 * can be tested on its own: `imports: [credentialsModule({ leshua: { '0000000018': keys } }), LeshuaModule.forRoot(...)]`.
 */
@Module({})
export class TestCredentialsModule {
  static forRoot(credentials: StaticCredentials): DynamicModule {
    return {
      module: TestCredentialsModule,
      global: true,
      providers: [{ provide: CredentialsProvider, useValue: new StaticCredentialsProvider(credentials) }],
      exports: [CredentialsProvider],
    };
  }
}

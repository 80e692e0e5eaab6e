import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { RefundModuleOptions } from './refund-module.options';

export const {
  ConfigurableModuleClass: RefundConfigurableModule,
  MODULE_OPTIONS_TOKEN: REFUND_MODULE_OPTIONS,
  OPTIONS_TYPE: REFUND_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: REFUND_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<RefundModuleOptions>()
  .setClassMethodName('forRoot')
  // Global so that every gateway module can inject the CredentialsProvider and the registry.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

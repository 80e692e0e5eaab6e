import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { UmfOptions } from './umf.options';

export const {
  ConfigurableModuleClass: UmfConfigurableModule,
  MODULE_OPTIONS_TOKEN: UMF_OPTIONS,
  OPTIONS_TYPE: UMF_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: UMF_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<UmfOptions>().setClassMethodName('forRoot').build();

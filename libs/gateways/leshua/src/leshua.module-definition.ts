import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { LeshuaOptions } from './leshua.options';

export const {
  ConfigurableModuleClass: LeshuaConfigurableModule,
  MODULE_OPTIONS_TOKEN: LESHUA_OPTIONS,
  OPTIONS_TYPE: LESHUA_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LESHUA_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LeshuaOptions>().setClassMethodName('forRoot').build();

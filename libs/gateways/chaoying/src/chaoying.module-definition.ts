import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { ChaoyingOptions } from './chaoying.options';

export const {
  ConfigurableModuleClass: ChaoyingConfigurableModule,
  MODULE_OPTIONS_TOKEN: CHAOYING_OPTIONS,
  OPTIONS_TYPE: CHAOYING_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CHAOYING_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ChaoyingOptions>().setClassMethodName('forRoot').build();

import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { BaofooOptions } from './baofoo.options';

export const {
  ConfigurableModuleClass: BaofooConfigurableModule,
  MODULE_OPTIONS_TOKEN: BAOFOO_OPTIONS,
  OPTIONS_TYPE: BAOFOO_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: BAOFOO_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<BaofooOptions>().setClassMethodName('forRoot').build();

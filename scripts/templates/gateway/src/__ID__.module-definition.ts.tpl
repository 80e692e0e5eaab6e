import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { __Id__Options } from './__ID__.options';

export const {
  ConfigurableModuleClass: __Id__ConfigurableModule,
  MODULE_OPTIONS_TOKEN: __ID_UPPER___OPTIONS,
  OPTIONS_TYPE: __ID_UPPER___OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: __ID_UPPER___ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<__Id__Options>().setClassMethodName('forRoot').build();

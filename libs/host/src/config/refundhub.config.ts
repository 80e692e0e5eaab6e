import { ConfigService, registerAs } from '@nestjs/config';

import { LoadedConfig, LoadOperatorConfigOptions, loadOperatorConfig } from './operator-config.loader';

/** Where `ConfigService` holds the operator configuration (`config.get('refundhub')`). */
export const REFUNDHUB_CONFIG_NAMESPACE = 'refundhub';

/**
 * A `ConfigModule` loader for the operator configuration: the file named by `REFUNDHUB_CONFIG`,
 * else `./refundhub.yaml`, else the embedded demo, with the same validation and messages as the
 * standalone hosts (a `ConfigError` listing every problem stops the boot).
 *
 * @example
 * ```ts
 * ConfigModule.forRoot({ isGlobal: true, load: [refundhubConfig()] }),
 * RefundModule.forRootAsync({
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => refundModuleOptionsOf(operatorConfigOf(config).config),
 * }),
 * ```
 */
export function refundhubConfig(options: LoadOperatorConfigOptions = {}) {
  return registerAs(REFUNDHUB_CONFIG_NAMESPACE, (): LoadedConfig => loadOperatorConfig(options));
}

/** The same, for a configuration the host has loaded already (it shapes which modules it imports). */
export function loadedRefundhubConfig(loaded: LoadedConfig) {
  return registerAs(REFUNDHUB_CONFIG_NAMESPACE, (): LoadedConfig => loaded);
}

/** The operator configuration a `ConfigService` holds; throws when no refundhub loader was given to ConfigModule. */
export function operatorConfigOf(config: ConfigService): LoadedConfig {
  return config.getOrThrow<LoadedConfig>(REFUNDHUB_CONFIG_NAMESPACE);
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { readConfigFile } from './config-file';
import { ConfigEnv } from './config-interpolation';
import { DEMO_API_KEY, DEMO_CONFIG_SOURCE, demoOperatorConfig } from './demo-config';
import { OperatorConfig } from './operator-config.schema';
import { validateOperatorConfig } from './operator-config.validate';

/** The environment variable naming the configuration file. */
export const CONFIG_PATH_ENV = 'REFUNDHUB_CONFIG';
export const DEFAULT_CONFIG_FILE = './refundhub.yaml';

export interface LoadedConfig {
  config: OperatorConfig;
  /** The file's absolute path, or 'embedded demo'. */
  source: string;
  demo: boolean;
  /** Only for the demo, so the host can print a usable key at start. */
  demoApiKey?: string;
}

export interface LoadOperatorConfigOptions {
  /** For REFUNDHUB_CONFIG, PORT (demo) and `${VAR}`; default process.env. */
  env?: ConfigEnv;
  /** Where relative paths resolve; default process.cwd(). */
  cwd?: string;
}

/**
 * Loads the operator configuration: the file named by REFUNDHUB_CONFIG, else
 * ./refundhub.yaml, else the embedded demo. A file named explicitly must exist: falling
 * back to the demo there would start a production host against a sandbox.
 * Throws ConfigError listing every problem.
 */
export function loadOperatorConfig(options: LoadOperatorConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  // An empty value counts as unset: env files and compose often write `REFUNDHUB_CONFIG=`.
  const explicit = env[CONFIG_PATH_ENV] || undefined;
  const path = resolve(cwd, explicit ?? DEFAULT_CONFIG_FILE);

  if (explicit === undefined && !existsSync(path)) {
    return {
      config: demoOperatorConfig(env),
      source: DEMO_CONFIG_SOURCE,
      demo: true,
      demoApiKey: DEMO_API_KEY,
    };
  }
  const config = validateOperatorConfig(readConfigFile(path), { source: path, env });
  return { config, source: path, demo: false };
}

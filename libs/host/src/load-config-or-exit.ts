import { ConfigError, LoadedConfig, loadOperatorConfig } from './config';

/**
 * What both hosts do first: load the operator configuration, or print every problem and exit
 * with status 2 so that a wrong file never half-starts a host.
 */
export function loadOperatorConfigOrExit(): LoadedConfig {
  try {
    return loadOperatorConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}

import { ConfigError } from '../config-error';

/** Runs `fn` and returns the ConfigError it throws; fails the test if it throws none. */
export function captureConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

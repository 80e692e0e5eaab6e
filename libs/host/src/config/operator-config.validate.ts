import { ConfigError } from './config-error';
import { ConfigEnv, interpolateEnv } from './config-interpolation';
import { formatConfigProblem, sortProblemsByTree } from './config-path';
import { configErrorMap, issuesToProblems } from './config-problems';
import { checkApiKeys } from './operator-config.checks';
import { OperatorConfig, operatorConfigSchema } from './operator-config.schema';

export interface ValidateOperatorConfigOptions {
  /** Named in the error: a file path, or 'embedded demo'. */
  source: string;
  /** Where `${VAR}` is read from; default process.env. */
  env?: ConfigEnv;
}

/**
 * Interpolates and validates an already parsed tree (from a file, or built by a host).
 * Throws one ConfigError with every problem found, so one run fixes the whole file.
 */
export function validateOperatorConfig(raw: unknown, options: ValidateOperatorConfigOptions): OperatorConfig {
  const interpolated = interpolateEnv(raw, options.env ?? process.env);
  const parsed = operatorConfigSchema.safeParse(interpolated.value, { error: configErrorMap });
  const problems = [
    ...interpolated.problems,
    ...(parsed.success ? [] : issuesToProblems(parsed.error.issues, interpolated.failedPaths)),
    ...checkApiKeys(interpolated.value),
  ];
  if (!parsed.success || problems.length > 0) {
    const lines = sortProblemsByTree(problems, interpolated.value).map(formatConfigProblem);
    throw new ConfigError(options.source, [...new Set(lines)]);
  }
  return parsed.data;
}

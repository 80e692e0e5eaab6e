import { currentLogContext } from '@refundhub/core';
import pino, { type Logger as Pino } from 'pino';
import { isColorSupported } from 'pino-pretty';

import type { LoggingConfig } from '../config';
import type { LogDestination } from './log-destination';
import { REDACTED, REDACTED_PATHS } from './log-redaction';
import { prettyDestination } from './pretty-destination';
import { scrubSecrets } from './secret-scrubber';

export interface LogRootOptions {
  /** Where the lines go; stdout by default. */
  destination?: LogDestination;
  /** Configured credentials no line may hold, whatever logged them (see {@link scrubSecrets}). */
  secrets?: readonly string[];
}

/**
 * The process's pino logger from `logging`: its level, JSON lines or pretty ones, the refund and
 * gateway of the work under way on every line (core's log context), credentials redacted.
 */
export function createLogRoot(logging: LoggingConfig, options: LogRootOptions = {}): Pino {
  // Synchronous on stdout: a process that exits right after a line (a failed start) still prints it.
  const target = options.destination ?? pino.destination({ dest: 1, sync: true });
  const pretty = logging.format === 'pretty';
  const printed = pretty ? prettyDestination(target, { colorize: !options.destination && isColorSupported }) : target;
  return pino(
    {
      level: logging.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      // A collector reads "level":"info"; the pretty printer wants pino's numbers.
      ...(pretty ? {} : { formatters: { level: (label: string) => ({ level: label }) } }),
      redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
      mixin: () => ({ ...currentLogContext() }),
    },
    // Scrubbed while still JSON, where every form a secret can take in a line is known.
    scrubSecrets(printed, options.secrets ?? []),
  );
}

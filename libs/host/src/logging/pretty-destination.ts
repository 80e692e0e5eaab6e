import { escapeForLog } from '@refundhub/core';
import { prettyFactory } from 'pino-pretty';

import type { LogDestination } from './log-destination';

/**
 * pino's JSON lines made readable for a person (`logging.format: pretty`), written synchronously:
 * no worker thread, so a short-lived command and a test see every line as soon as it is logged.
 * Control characters in the message are escaped as JSON escapes them; every other field is printed
 * as JSON, on the same line.
 */
export function prettyDestination(target: LogDestination, options: { colorize: boolean }): LogDestination {
  const pretty = prettyFactory({
    colorize: options.colorize,
    singleLine: true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname,context',
    messageFormat: (log, messageKey) => {
      const context = typeof log.context === 'string' ? `[${escapeForLog(log.context)}] ` : '';
      return `${context}${escapeForLog(String(log[messageKey] ?? ''))}`;
    },
  });
  return { write: (line: string) => target.write(pretty(line)) };
}

import type { LoggerService } from '@nestjs/common';
import type { Level, Logger as Pino } from 'pino';
import { storage } from 'nestjs-pino/storage';

/** A stack of frames as Nest's exception handlers and core pass it: lines that start with `at`. */
const STACK_FRAMES = /^\s*at /m;

/**
 * Nest's `LoggerService` over pino, for `app.useLogger`: Nest's own lines and every
 * `new Logger(context)` in core and the gateway modules. `verbose` is pino's `trace`, `debug` its
 * `debug`, `log` its `info`. Within a request the line goes through that request's child logger
 * (kept by nestjs-pino's middleware), so it carries the request id.
 *
 * nestjs-pino's own `Logger` falls back, outside requests, to one logger per process (the first
 * application's); this one falls back to its own application's, so two applications in one process
 * (tests, a host embedding the API and the scheduler) each write to their own destination.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly root: Pino) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const logger = storage.getStore()?.logger ?? this.root;
    if (!logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    // Nest passes the context last, whenever the Logger was made with one; a stack may come before it.
    const last = params[params.length - 1];
    const hasContext = typeof last === 'string' && !STACK_FRAMES.test(last);
    const rest = hasContext ? params.slice(0, -1) : params;
    if (hasContext) fields.context = last;
    const stack = rest.find((param): param is string => typeof param === 'string' && STACK_FRAMES.test(param));
    if (stack !== undefined) fields.stack = stack;
    if (message instanceof Error) {
      logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      logger[level]({ ...message, ...fields });
    } else {
      logger[level](fields, String(message));
    }
  }
}

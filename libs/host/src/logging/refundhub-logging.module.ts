import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import type { OperatorConfig } from '../config';
import { configuredSecrets } from './configured-secrets';
import { createLogRoot } from './log-root';
import type { LogDestination } from './log-destination';
import { NestPinoLogger } from './nest-pino-logger';
import { RequestIdSource, randomRequestIds } from './request-id';
import { httpRequestLogging } from './http-request-logging';

export interface LoggingSetupOptions {
  /** Where the lines go instead of stdout (a test reads the log this way). */
  destination?: LogDestination;
  /** Where new request ids come from. */
  requestIds?: RequestIdSource;
  /** Log nothing at all, whatever `logging.level` says, and spend nothing on it (the benchmarks). */
  silent?: boolean;
}

/**
 * The hosts' log: pino configured from `logging`, request ids on an HTTP host, and the
 * {@link NestPinoLogger} a host hands to `app.useLogger` (with `bufferLogs: true`, so that the
 * lines of its start go through it too).
 */
@Module({})
export class RefundhubLoggingModule {
  static forConfig(config: OperatorConfig, options: LoggingSetupOptions = {}): DynamicModule {
    const logging = options.silent ? { ...config.logging, level: 'silent' as const } : config.logging;
    const root = createLogRoot(logging, { destination: options.destination, secrets: configuredSecrets(config) });
    return {
      module: RefundhubLoggingModule,
      imports: options.silent
        ? []
        : [
            LoggerModule.forRoot({
              pinoHttp: httpRequestLogging(root, options.requestIds ?? randomRequestIds),
              // Every route, in the path syntax of Nest 11.
              forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
            }),
          ],
      providers: [{ provide: NestPinoLogger, useValue: new NestPinoLogger(root) }],
      exports: [NestPinoLogger],
    };
  }
}

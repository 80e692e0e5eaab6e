import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

import { RefundService } from '@refundhub/core';
import {
  GracefulShutdown,
  NestPinoLogger,
  randomRequestIds,
  type LoadedConfig,
  type LoggingSetupOptions,
} from '@refundhub/host';

import { AppModule } from './app.module';
import {
  answerFrameworkError,
  closeConnectionsWhenStopping,
  notificationBodyLimit,
  registerJsonBodyParser,
  registerRawBodyParsers,
} from './http';
import { echoRequestIds, requestIdGenerator } from './request-ids';
import { setupOpenApi } from './http/openapi';
import { CONSOLE_BUILD_COMMAND, CONSOLE_PATH, findConsoleDist, registerConsoleRoutes } from './console/console-routes';

export interface ApiAppOptions {
  /** `false` logs nothing at all (the benchmarks); otherwise the log is the one `logging` configures. */
  logger?: false;
  /** Where that log goes instead of stdout, and where request ids come from (tests read the log this way). */
  logs?: LoggingSetupOptions;
}

const BODY_LIMIT = 1024 * 1024;
const MAX_PARAM_LENGTH = 2048;

/** Builds the API application (not yet listening) from a loaded operator configuration. */
export async function createApiApp(loaded: LoadedConfig, options: ApiAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    // Longer ids reach the routes and are answered as missing refunds, instead of as unknown routes.
    maxParamLength: MAX_PARAM_LENGTH,
    frameworkErrors: answerFrameworkError,
    // Ours, with the incoming header checked; Fastify's own would trust any header it is told to read.
    requestIdHeader: false,
    genReqId: requestIdGenerator(options.logs?.requestIds ?? randomRequestIds),
  });
  const logs = options.logger === false ? { ...options.logs, silent: true } : options.logs;
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(loaded, logs), adapter, {
    // Held until the configured logger is in place, so that the lines of the start go through it too.
    ...(options.logger === false ? { logger: false } : { bufferLogs: true }),
    abortOnError: false,
  });
  if (options.logger !== false) app.useLogger(app.get(NestPinoLogger));
  echoRequestIds(app.getHttpAdapter().getInstance());
  registerJsonBodyParser(app, BODY_LIMIT);
  const shutdown = app.get(GracefulShutdown);
  closeConnectionsWhenStopping(app.getHttpAdapter().getInstance(), () => shutdown.stopping);
  // Notifications are capped by what their gateway can send, before their bodies are read.
  registerRawBodyParsers(app.getHttpAdapter().getInstance(), { limit: notificationBodyLimit(app.get(RefundService)) });
  setupOpenApi(app);
  if (loaded.config.console.enabled) serveConsole(app, loaded);
  app.enableShutdownHooks();
  return app;
}

function serveConsole(app: NestFastifyApplication, loaded: LoadedConfig): void {
  const dist = findConsoleDist();
  if (!dist) {
    new Logger('RefundhubConsole').warn(
      `console.enabled is true but the console is not built: ${CONSOLE_PATH} answers 503 until you run ${CONSOLE_BUILD_COMMAND} (or npm run build) and restart`,
    );
  }
  registerConsoleRoutes(app.getHttpAdapter().getInstance(), {
    dist,
    demoApiKey: loaded.demo ? loaded.demoApiKey : undefined,
  });
}

/** Starts listening on the configured host and port; returns the URL it listens on. */
export async function listenApi(app: NestFastifyApplication, loaded: LoadedConfig): Promise<string> {
  await app.listen(loaded.config.api.port, loaded.config.api.host);
  const url = await app.getUrl();
  new Logger('RefundhubApi').log(`Listening on ${url} (configuration: ${loaded.source})`);
  return url;
}

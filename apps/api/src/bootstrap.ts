import { Logger, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

import { RefundService } from '@refundhub/core';
import type { LoadedConfig } from '@refundhub/host';

import { AppModule } from './app.module';
import { answerFrameworkError, notificationBodyLimit, registerJsonBodyParser, registerRawBodyParsers } from './http';
import { setupOpenApi } from './http/openapi';

export interface ApiAppOptions {
  /** The levels to log, false for none, or a logger of the host's own (tests capture the log with one). */
  logger?: LogLevel[] | false | LoggerService;
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
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(loaded), adapter, {
    logger: options.logger ?? ['log', 'warn', 'error'],
    abortOnError: false,
  });
  registerJsonBodyParser(app, BODY_LIMIT);
  // Notifications are capped by what their gateway can send, before their bodies are read.
  registerRawBodyParsers(app.getHttpAdapter().getInstance(), { limit: notificationBodyLimit(app.get(RefundService)) });
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}

/** Starts listening on the configured host and port; returns the URL it listens on. */
export async function listenApi(app: NestFastifyApplication, loaded: LoadedConfig): Promise<string> {
  await app.listen(loaded.config.api.port, loaded.config.api.host);
  const url = await app.getUrl();
  new Logger('RefundhubApi').log(`Listening on ${url} (configuration: ${loaded.source})`);
  return url;
}

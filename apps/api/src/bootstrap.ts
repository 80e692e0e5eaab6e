import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

import type { LoadedConfig } from '@refundhub/host';

import { AppModule } from './app.module';
import { registerRawBodyParsers } from './http';

export interface ApiAppOptions {
  logger?: LogLevel[] | false;
}

/** Builds the API application (not yet listening) from a loaded operator configuration. */
export async function createApiApp(loaded: LoadedConfig, options: ApiAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: 1024 * 1024 });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(loaded), adapter, {
    logger: options.logger ?? ['log', 'warn', 'error'],
    abortOnError: false,
  });
  registerRawBodyParsers(app.getHttpAdapter().getInstance());
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

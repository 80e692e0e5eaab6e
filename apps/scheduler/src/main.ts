import 'reflect-metadata';

import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { ConfigError, loadOperatorConfig } from '@refundhub/host';

import { SchedulerModule } from './scheduler.module';

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadOperatorConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(SchedulerModule.forConfig(loaded), {
    logger: ['log', 'warn', 'error'],
  });
  app.enableShutdownHooks();
  new Logger('RefundhubScheduler').log(`Syncing refunds every ${loaded.config.scheduler.intervalMs} ms (configuration: ${loaded.source})`);
}

main().catch((error: unknown) => {
  process.stderr.write(`refundhub scheduler failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

import 'reflect-metadata';

import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { loadOperatorConfigOrExit } from '@refundhub/host';

import { SchedulerModule } from './scheduler.module';

async function main(): Promise<void> {
  const loaded = loadOperatorConfigOrExit();
  const app = await NestFactory.createApplicationContext(SchedulerModule.forConfig(loaded), {
    logger: ['log', 'warn', 'error'],
  });
  app.enableShutdownHooks();
  new Logger('RefundhubScheduler').log(
    `Syncing refunds every ${loaded.config.scheduler.intervalMs} ms (configuration: ${loaded.source})`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`refundhub scheduler failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

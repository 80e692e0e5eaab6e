import 'reflect-metadata';

import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { ConfigError, NestPinoLogger, loadOperatorConfigOrExit } from '@refundhub/host';

import { SchedulerModule } from './scheduler.module';

async function main(): Promise<void> {
  const loaded = loadOperatorConfigOrExit();
  const app = await NestFactory.createApplicationContext(SchedulerModule.forConfig(loaded), {
    // Held until the configured logger is in place, so that the lines of the start go through it too.
    bufferLogs: true,
  });
  app.useLogger(app.get(NestPinoLogger));
  app.enableShutdownHooks();
  new Logger('RefundhubScheduler').log(
    `Syncing refunds every ${loaded.config.scheduler.intervalMs} ms (configuration: ${loaded.source})`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    // What the operator must change, not where in the code it was noticed.
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`refundhub scheduler failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

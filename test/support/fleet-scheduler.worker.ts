/**
 * One scheduler instance of the fleet: refund-core on the shared database (PostgreSQL, or one SQLite
 * file) with the fleet gateway's adapter, run as a child process by `test/scheduler-fleet.e2e-spec.ts`
 * (forked with `--require @swc-node/register`, which compiles this TypeScript and maps `@refundhub/*`
 * to the sources under libs/).
 *
 * Configuration: {@link FleetSchedulerConfig} as JSON in REFUNDHUB_FLEET_SCHEDULER. Over IPC it answers
 * `ready` once booted; `start` runs sync rounds back to back (waiting `idleMs` after a round that found
 * nothing due, as a scheduler waits for its next tick) until `stop`, which ends after the round in
 * progress and answers what this instance did. An uncaught error is reported as `fatal` and ends the
 * process with exit code 1.
 */
import 'reflect-metadata';

import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { RefundDatabaseModule, RefundModule, RefundSyncService } from '@refundhub/core';

import { FLEET_GATEWAY_ID, FLEET_GATEWAY_OPTIONS, FleetGatewayAdapter } from './fleet-gateway.adapter';
import type { FleetCommand, FleetReply, FleetSchedulerConfig, FleetSchedulerTally } from './fleet-protocol';

@Module({})
class FleetSchedulerModule {}

const config = JSON.parse(process.env.REFUNDHUB_FLEET_SCHEDULER ?? 'null') as FleetSchedulerConfig | null;

function send(reply: FleetReply): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('not started with an IPC channel'));
    process.send(reply, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

function explain(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Reports the error to the parent (and stderr), then exits non-zero. */
function die(error: unknown): void {
  const message = explain(error);
  process.stderr.write(`[fleet scheduler ${config?.name ?? '?'}] fatal: ${message}\n`);
  const exit = () => process.exit(1);
  if (process.connected) send({ type: 'fatal', message }).then(exit, exit);
  else exit();
}

function boot(own: FleetSchedulerConfig): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    {
      module: FleetSchedulerModule,
      imports: [
        EventEmitterModule.forRoot(),
        RefundDatabaseModule.forRoot({ database: own.database, contextName: null }),
        RefundModule.forRoot({
          credentials: { [FLEET_GATEWAY_ID]: { [own.merchantId]: { key: 'k' } } },
          sync: own.sync,
        }),
      ],
      providers: [
        { provide: FLEET_GATEWAY_OPTIONS, useValue: { baseUrl: own.gatewayUrl, caller: own.name } },
        FleetGatewayAdapter,
      ],
    },
    // Each round logs a line at `log` level; errors and warnings are what a failure report needs.
    { logger: ['error', 'warn'], abortOnError: false },
  );
}

/** Sync rounds back to back until stopped. */
class RoundLoop {
  readonly tally: FleetSchedulerTally = { rounds: 0, claimed: 0, finished: 0, errors: 0, limited: 0 };
  private stopping = false;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly sync: RefundSyncService,
    private readonly idleMs: number,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  /** Ends after the round in progress; resolves with what the loop did. */
  async stop(): Promise<FleetSchedulerTally> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    return this.tally;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const round = await this.sync.runOnce();
      this.tally.rounds += 1;
      this.tally.claimed += round.due;
      this.tally.finished += round.finished;
      this.tally.errors += round.errors;
      this.tally.limited += round.limited;
      if (round.due === 0 && !this.stopping) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.idleMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (this.wake = null));
  }
}

async function main(): Promise<void> {
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  // The parent is gone: nobody will ever send `stop`.
  process.on('disconnect', () => process.exit(1));
  if (!config) throw new Error('REFUNDHUB_FLEET_SCHEDULER is not set');

  const app = await boot(config);
  const loop = new RoundLoop(app.get(RefundSyncService), config.idleMs);

  const handle = async (command: FleetCommand): Promise<void> => {
    try {
      switch (command.type) {
        case 'start':
          loop.start();
          return await send({ seq: command.seq, type: 'started' });
        case 'stop':
          return await send({ seq: command.seq, type: 'stopped', tally: await loop.stop() });
        case 'close':
          await loop.stop();
          await app.close();
          await send({ seq: command.seq, type: 'closed' });
          process.exit(0);
      }
    } catch (error) {
      await send({ seq: command.seq, type: 'error', message: explain(error) });
    }
  };
  process.on('message', (command: FleetCommand) => void handle(command).catch(die));
  await send({ type: 'ready', pid: process.pid });
}

main().catch(die);

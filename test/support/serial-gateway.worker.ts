/**
 * One app instance of refund-core on PostgreSQL, run as a child process by
 * `test/serial-gateway.e2e-spec.ts` (forked with `--require @swc-node/register`, which compiles this
 * TypeScript and maps `@refundhub/*` to the sources under libs/ through the root tsconfig's `paths`).
 *
 * Environment: REFUNDHUB_SERIAL_DB_URL (a migrated database: this process never migrates),
 * REFUNDHUB_SERIAL_GATEWAY_URL (the fake serial gateway), REFUNDHUB_SERIAL_WORKER (a name for logs).
 *
 * Works over IPC: answers `ready` once booted, then one reply per {@link WorkerCommand}, with the
 * command's `seq`. An uncaught error is reported as `fatal` and ends the process with exit code 1.
 */
import 'reflect-metadata';

import { MikroOrmModule } from '@mikro-orm/nestjs';
import { INestApplicationContext, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  RefundModule,
  RefundService,
  RefundSyncService,
  refundOrmOptions,
  type SyncRoundResult,
} from '@refundhub/core';

import {
  SERIAL_GATEWAY_ID,
  SERIAL_GATEWAY_OPTIONS,
  SerialGatewayAdapter,
  type SerialGatewayOptions,
} from './serial-gateway.adapter';

/** What the parent asks. */
export type WorkerCommand =
  | { seq: number; type: 'request'; refunds: Array<{ refundNo: string }> }
  | { seq: number; type: 'sync-round' }
  | { seq: number; type: 'close' };

/** One refund's answer to `request`. */
export interface RequestedRefund {
  refundNo: string;
  /** The answer of `RefundService.request`, or the error it threw. */
  answer: { id: string; created: boolean; status: string; failureCode: string | null } | { error: string };
}

/** What the worker says. */
export type WorkerReply =
  | { type: 'ready'; pid: number }
  | { seq: number; type: 'requested'; refunds: RequestedRefund[] }
  | { seq: number; type: 'synced'; round: SyncRoundResult }
  | { seq: number; type: 'closed' }
  | { seq: number; type: 'error'; message: string }
  | { type: 'fatal'; message: string };

/** The order every refund of this scenario belongs to. */
const ORDER = { merchantOrderNo: 'T1', totalAmount: 1000 };
const AMOUNT = 10;

@Module({})
class SerialWorkerModule {}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function send(reply: WorkerReply): Promise<void> {
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
  process.stderr.write(`[serial worker ${process.env.REFUNDHUB_SERIAL_WORKER ?? '?'}] fatal: ${message}\n`);
  const exit = () => process.exit(1);
  if (process.connected) send({ type: 'fatal', message }).then(exit, exit);
  else exit();
}

async function boot(): Promise<INestApplicationContext> {
  const url = required('REFUNDHUB_SERIAL_DB_URL');
  const gateway: SerialGatewayOptions = { baseUrl: required('REFUNDHUB_SERIAL_GATEWAY_URL') };
  return NestFactory.createApplicationContext(
    {
      module: SerialWorkerModule,
      imports: [
        EventEmitterModule.forRoot(),
        MikroOrmModule.forRootAsync({
          useFactory: () => refundOrmOptions({ driver: 'postgresql', url, pool: { max: 10 } }),
        }),
        RefundModule.forRoot({
          credentials: { [SERIAL_GATEWAY_ID]: { m1: { key: 'k' } } },
          sync: { backoffMs: [50, 100, 200] },
        }),
      ],
      providers: [{ provide: SERIAL_GATEWAY_OPTIONS, useValue: gateway }, SerialGatewayAdapter],
    },
    { logger: ['error', 'warn'], abortOnError: false },
  );
}

async function requestAll(refunds: RefundService, wanted: Array<{ refundNo: string }>): Promise<RequestedRefund[]> {
  const answers = await Promise.allSettled(
    wanted.map(({ refundNo }) =>
      refunds.request({ gateway: SERIAL_GATEWAY_ID, merchantId: 'm1', refundNo, amount: AMOUNT, order: { ...ORDER } }),
    ),
  );
  // The queued refunds this process was handed meanwhile are submitted in the background: wait for them.
  await refunds.settled();
  return answers.map((settled, i) => ({
    refundNo: wanted[i].refundNo,
    answer:
      settled.status === 'fulfilled'
        ? {
            id: settled.value.refund.id,
            created: settled.value.created,
            status: settled.value.refund.status,
            failureCode: settled.value.refund.failure?.code ?? null,
          }
        : { error: explain(settled.reason) },
  }));
}

async function main(): Promise<void> {
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  // The parent is gone: nobody will ever send `close`.
  process.on('disconnect', () => process.exit(1));

  const app = await boot();
  const refunds = app.get(RefundService);
  const sync = app.get(RefundSyncService);
  const logger = new Logger(`SerialWorker ${process.env.REFUNDHUB_SERIAL_WORKER ?? process.pid}`);

  const handle = async (command: WorkerCommand): Promise<void> => {
    try {
      switch (command.type) {
        case 'request':
          return await send({
            seq: command.seq,
            type: 'requested',
            refunds: await requestAll(refunds, command.refunds),
          });
        case 'sync-round': {
          const round = await sync.runOnce();
          await refunds.settled();
          return await send({ seq: command.seq, type: 'synced', round });
        }
        case 'close':
          await app.close();
          await send({ seq: command.seq, type: 'closed' });
          process.exit(0);
      }
    } catch (error) {
      logger.error(`${command.type} failed: ${explain(error)}`);
      await send({ seq: command.seq, type: 'error', message: explain(error) });
    }
  };
  process.on('message', (command: WorkerCommand) => void handle(command).catch(die));
  await send({ type: 'ready', pid: process.pid });
}

main().catch(die);

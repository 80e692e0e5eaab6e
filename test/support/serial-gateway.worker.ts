/**
 * One app instance of refund-core on a shared database (PostgreSQL, or one SQLite file) with a gateway
 * that takes one refund of an order at a time, run as a child process by `test/serial-gateway.e2e-spec.ts`
 * and `test/baofoo-serial.e2e-spec.ts` (forked with `--require @swc-node/register`, which compiles this
 * TypeScript and maps `@refundhub/core`, `@refundhub/gateway-kit` and each gateway's main entry to the
 * sources under libs/ through the `paths` of `serial-gateway.tsconfig.json`; no sandbox entry is mapped,
 * so nothing here may import one).
 *
 * Environment (see `serial-gateway.protocol.ts`): REFUNDHUB_SERIAL_DATABASE (the JSON
 * `RefundDatabaseOptions` of a migrated database: this process never migrates),
 * REFUNDHUB_SERIAL_GATEWAY (`serial`, the default: the test adapter against `serial-gateway.server.ts`;
 * or `baofoo`: the real BaofooModule against a BaofooSandbox), REFUNDHUB_SERIAL_GATEWAY_URL,
 * REFUNDHUB_SERIAL_WORKER (a name for logs); for `baofoo` also REFUNDHUB_SERIAL_GATEWAY_TIMEOUT_MS,
 * REFUNDHUB_SERIAL_BAOFOO_PLATFORM_KEY and REFUNDHUB_SERIAL_BAOFOO_MERCHANTS (JSON:
 * `{ <merId>: { terId, privateKey } }`).
 *
 * Works over IPC: answers `ready` once booted, then one reply per {@link WorkerCommand}, with the
 * command's `seq`. An uncaught error is reported as `fatal` and ends the process with exit code 1.
 */
import 'reflect-metadata';

import { INestApplicationContext, Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { BAOFOO_GATEWAY_ID, BaofooModule } from '@refundhub/baofoo';
import {
  RefundModule,
  RefundService,
  RefundSyncService,
  RefundDatabaseModule,
  type StaticCredentials,
} from '@refundhub/core';

import { SERIAL_GATEWAY_ID, SERIAL_GATEWAY_OPTIONS, SerialGatewayAdapter } from './serial-gateway.adapter';
import {
  readWorkerEnvironment,
  type RefundBatch,
  type RequestedRefund,
  type WorkerCommand,
  type WorkerGatewayConfig,
  type WorkerReply,
} from './serial-gateway.protocol';

@Module({})
class SerialWorkerModule {}

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

/** The gateway's id, its merchants' credentials, and what wires it into the app. */
function gatewayParts(config: WorkerGatewayConfig): {
  id: string;
  credentials: StaticCredentials[string];
  imports: DynamicModule[];
  providers: Provider[];
} {
  switch (config.gateway) {
    case 'serial':
      return {
        id: SERIAL_GATEWAY_ID,
        credentials: { m1: { key: 'k' } },
        imports: [],
        providers: [{ provide: SERIAL_GATEWAY_OPTIONS, useValue: { baseUrl: config.baseUrl } }, SerialGatewayAdapter],
      };
    case 'baofoo':
      return {
        id: BAOFOO_GATEWAY_ID,
        credentials: config.merchants,
        imports: [
          BaofooModule.forRoot({
            baseUrl: config.baseUrl,
            platformPublicKey: config.platformPublicKey,
            timeoutMs: config.timeoutMs,
          }),
        ],
        providers: [],
      };
  }
}

async function boot(): Promise<{ app: INestApplicationContext; gatewayId: string }> {
  const config = readWorkerEnvironment(process.env);
  const gateway = gatewayParts(config.gateway);
  const app = await NestFactory.createApplicationContext(
    {
      module: SerialWorkerModule,
      imports: [
        EventEmitterModule.forRoot(),
        RefundDatabaseModule.forRoot({ database: config.database, contextName: null }),
        // No notifyBaseUrl: this process serves no HTTP, refunds settle by sync rounds alone.
        RefundModule.forRoot({
          credentials: { [gateway.id]: gateway.credentials },
          sync: { backoffMs: [50, 100, 200] },
        }),
        ...gateway.imports,
      ],
      providers: gateway.providers,
    },
    { logger: ['error', 'warn'], abortOnError: false },
  );
  return { app, gatewayId: gateway.id };
}

async function requestAll(refunds: RefundService, gatewayId: string, batch: RefundBatch): Promise<RequestedRefund[]> {
  const order = {
    merchantOrderNo: batch.order.merchantOrderNo,
    totalAmount: batch.order.totalAmount,
    ...(batch.order.paidAt !== undefined ? { paidAt: new Date(batch.order.paidAt) } : {}),
  };
  const answers = await Promise.allSettled(
    batch.refunds.map(({ refundNo, amount }) =>
      refunds.request({
        gateway: gatewayId,
        merchantId: batch.merchantId,
        refundNo,
        amount,
        order: { ...order },
        ...(batch.reason !== undefined ? { reason: batch.reason } : {}),
      }),
    ),
  );
  // The queued refunds this process was handed meanwhile are submitted in the background: wait for them.
  await refunds.settled();
  return answers.map((settled, i) => ({
    refundNo: batch.refunds[i].refundNo,
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

/**
 * Throws when a module of a built package (`libs/.../dist`) was loaded: a second copy of
 * `@refundhub/core` beside the sources, whose gateways and entities the app would not know.
 */
function assertOnlySources(): void {
  const built = Object.keys(require.cache).filter((file) => /[\\/]libs[\\/].*[\\/]dist[\\/]/.test(file));
  if (built.length) throw new Error(`built packages were loaded instead of their sources: ${built.join(', ')}`);
}

async function main(): Promise<void> {
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  // The parent is gone: nobody will ever send `close`.
  process.on('disconnect', () => process.exit(1));

  const { app, gatewayId } = await boot();
  assertOnlySources();
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
            refunds: await requestAll(refunds, gatewayId, command),
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

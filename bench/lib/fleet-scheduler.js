'use strict';
/**
 * One scheduler instance of the sync-fleet benchmark, in a process of its own (forked by
 * lib/fleet-processes.js): refund-core from the compiled dist/, on the benchmark's database, with an
 * adapter for the fleet gateway (lib/fleet-gateway.js). It is the JavaScript twin of the acceptance
 * test's test/support/fleet-scheduler.worker.ts, which runs the TypeScript sources instead.
 *
 * Configuration: JSON in REFUNDHUB_FLEET_SCHEDULER ({ name, database, gatewayUrl, merchantId, sync,
 * idleMs }). Over IPC it answers `ready` once booted; `start` runs sync rounds back to back (waiting
 * `idleMs` after a round that found nothing due) until `stop`, which ends after the round in progress
 * and answers, for that stretch, what this instance did and what it cost: rounds, refunds claimed and finished, CPU
 * time, event-loop utilization, and when its last round that had work ended.
 */
require('reflect-metadata');
const { performance } = require('node:perf_hooks');

const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { EventEmitterModule } = require('@nestjs/event-emitter');
const { RefundDatabaseModule, RefundGatewayProvider, RefundModule, RefundSyncService } = require('@refundhub/core');
const { GatewayHttp, answerMismatch, defaultGatewayTransport, unknownOutcome } = require('@refundhub/gateway-kit');

const GATEWAY_ID = 'fleet';
const config = JSON.parse(process.env.REFUNDHUB_FLEET_SCHEDULER || 'null');

/** The fleet gateway's adapter: queries only, its refunds are seeded there already accepted. */
class FleetGatewayAdapter {
  constructor(options) {
    this.id = GATEWAY_ID;
    this.options = options;
    // The transport a gateway module gets when it is given none, as the product's modules do.
    this.http = new GatewayHttp({ gateway: 'Fleet', transport: defaultGatewayTransport() });
  }

  validate() {
    return { problems: [], refusals: [] };
  }

  async submit() {
    return unknownOutcome('unrecognized', 'the fleet gateway takes no submissions: its refunds are seeded');
  }

  async query(query) {
    const answer = await this.http.exchange({
      url: `${this.options.baseUrl}/query`,
      body: JSON.stringify({ merchantId: query.merchantId, refundNo: query.refundNo, amount: query.amount }),
      headers: { 'content-type': 'application/json', 'x-fleet-caller': this.options.caller },
      timeoutMs: 10_000,
      what: `query ${query.merchantId}/${query.refundNo}`,
      parse: (text) => {
        const value = JSON.parse(text);
        if (typeof value?.result !== 'string') throw new Error('no result field');
        return value;
      },
    });
    if (answer.kind === 'unknown') return answer;
    const value = answer.fields;
    if (value.result === 'NOT_FOUND') return { kind: 'not_found', code: 'NOT_FOUND', message: String(value.message) };
    if (value.result !== 'FOUND') return unknownOutcome('unrecognized', `Fleet answered result '${value.result}'`);
    const mismatch = answerMismatch({
      gateway: 'Fleet',
      expected: { refundNo: query.refundNo, amount: query.amount },
      answered: { refundNo: value.refundNo, amount: value.amount },
      rawStatus: String(value.status),
    });
    if (mismatch) return mismatch;
    const gatewayRefundNo = typeof value.gatewayRefundNo === 'string' ? value.gatewayRefundNo : undefined;
    if (value.status === 'PROCESSING') return { kind: 'processing', rawStatus: 'PROCESSING', gatewayRefundNo };
    if (value.status === 'SUCCEEDED') return { kind: 'succeeded', rawStatus: 'SUCCEEDED', gatewayRefundNo };
    return unknownOutcome('unrecognized', `Fleet answered status '${String(value.status)}'`);
  }
}
// What `@RefundGatewayProvider()` does in TypeScript: the registry finds the adapter by this mark.
RefundGatewayProvider()(FleetGatewayAdapter);

class FleetSchedulerModule {}
Module({})(FleetSchedulerModule);

function boot() {
  return NestFactory.createApplicationContext(
    {
      module: FleetSchedulerModule,
      imports: [
        EventEmitterModule.forRoot(),
        RefundDatabaseModule.forRoot({ database: config.database }),
        RefundModule.forRoot({
          credentials: { [GATEWAY_ID]: { [config.merchantId]: { key: 'k' } } },
          sync: config.sync,
        }),
      ],
      providers: [
        {
          provide: FleetGatewayAdapter,
          useFactory: () => new FleetGatewayAdapter({ baseUrl: config.gatewayUrl, caller: config.name }),
        },
      ],
    },
    { logger: ['error', 'warn'], abortOnError: false },
  );
}

/** Sync rounds back to back from each `start` to its `stop`, with what they did and cost. */
class RoundLoop {
  constructor(sync, idleMs) {
    this.sync = sync;
    this.idleMs = idleMs;
    this.stopping = false;
    this.wake = null;
    this.running = null;
  }

  start() {
    if (this.running) return;
    this.stopping = false;
    this.tally = { rounds: 0, claimed: 0, finished: 0, errors: 0, limited: 0, lastWorkEndedAt: null };
    this.cpu = process.cpuUsage();
    this.elu = performance.eventLoopUtilization();
    this.startedAt = Date.now();
    this.running = this.run();
  }

  async stop() {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = null;
    const cpu = process.cpuUsage(this.cpu);
    return {
      ...this.tally,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: Date.now() - this.startedAt,
      loopUtilization: performance.eventLoopUtilization(this.elu).utilization,
    };
  }

  async run() {
    while (!this.stopping) {
      const round = await this.sync.runOnce();
      this.tally.rounds += 1;
      this.tally.claimed += round.due;
      this.tally.finished += round.finished;
      this.tally.errors += round.errors;
      this.tally.limited += round.limited;
      if (round.due > 0) this.tally.lastWorkEndedAt = Date.now();
      else if (!this.stopping) await this.idle();
    }
  }

  idle() {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.idleMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (this.wake = null));
  }
}

const send = (reply) =>
  new Promise((resolve, reject) => process.send(reply, undefined, {}, (error) => (error ? reject(error) : resolve())));

function die(error) {
  const message = String(error?.stack || error);
  process.stderr.write(`[fleet scheduler ${config?.name ?? '?'}] fatal: ${message}\n`);
  const exit = () => process.exit(1);
  if (process.connected) send({ type: 'fatal', message }).then(exit, exit);
  else exit();
}

async function main() {
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  process.on('disconnect', () => process.exit(1));
  if (!config) throw new Error('REFUNDHUB_FLEET_SCHEDULER is not set');
  const app = await boot();
  const loop = new RoundLoop(app.get(RefundSyncService), config.idleMs);
  const handle = async (command) => {
    try {
      switch (command.type) {
        case 'start':
          loop.start();
          return await send({ seq: command.seq, type: 'started' });
        case 'stop':
          return await send({ seq: command.seq, type: 'stopped', tally: await loop.stop() });
        case 'close':
          if (loop.running) await loop.stop();
          await app.close();
          await send({ seq: command.seq, type: 'closed' });
          return process.exit(0);
        default:
          throw new Error(`unknown command ${command.type}`);
      }
    } catch (error) {
      await send({ seq: command.seq, type: 'error', message: String(error?.stack || error) });
    }
  };
  process.on('message', (command) => void handle(command).catch(die));
  await send({ type: 'ready', pid: process.pid });
}

main().catch(die);

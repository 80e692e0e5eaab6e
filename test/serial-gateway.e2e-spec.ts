import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

import { MikroORM } from '@mikro-orm/core';
import {
  ORDER_SLOT_BUSY,
  Refund,
  RefundOrder,
  UNFINISHED_STATUSES,
  migrateRefundSchema,
  refundOrmOptions,
} from '@refundhub/core';

import { TestDatabase, createTestDatabase, describeWithDialect } from './support/databases';
import { SERIAL_GATEWAY_ID } from './support/serial-gateway.adapter';
import { SerialGatewayServer } from './support/serial-gateway.server';
import type { RequestedRefund, WorkerCommand, WorkerReply } from './support/serial-gateway.worker';

const ROOT = join(__dirname, '..');
const WORKER_ENTRY = join(__dirname, 'support', 'serial-gateway.worker.ts');
/** Sync rounds the scenario may take in all before it counts as stuck. */
const MAX_SYNC_ROUNDS = 200;
/** Boot, a batch of requests, a sync round: each is far quicker than this. */
const CALL_TIMEOUT_MS = 20_000;
/** Keeps the tail of a child's output for failure messages. */
const OUTPUT_LIMIT = 64 * 1024;

type Distribute<C> = C extends unknown ? Omit<C, 'seq'> : never;
type Command = Distribute<WorkerCommand>;
type Reply<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>;

/**
 * A refund-core app instance in a child process (`support/serial-gateway.worker.ts`), its TypeScript
 * compiled on the fly by @swc-node/register (decorators and their metadata, `@refundhub/*` paths from
 * the root tsconfig).
 */
class WorkerProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<
    number,
    { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }
  >();
  private readonly ready: Promise<void>;
  private seq = 0;
  private stderr = '';
  private stdout = '';
  private exitCode: number | null = null;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    env: { dbUrl: string; gatewayUrl: string },
  ) {
    this.child = fork(WORKER_ENTRY, [], {
      cwd: ROOT,
      execArgv: ['--require', '@swc-node/register'],
      env: {
        ...process.env,
        SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        REFUNDHUB_SERIAL_DB_URL: env.dbUrl,
        REFUNDHUB_SERIAL_GATEWAY_URL: env.gatewayUrl,
        REFUNDHUB_SERIAL_WORKER: name,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout?.on(
      'data',
      (chunk: Buffer) => (this.stdout = (this.stdout + chunk.toString('utf8')).slice(-OUTPUT_LIMIT)),
    );
    this.child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-OUTPUT_LIMIT)),
    );
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : 0);
        this.failAll(new Error(`worker ${name} exited (code ${code}, signal ${signal})`));
        resolve();
      }),
    );
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(this.failure(`did not boot within ${CALL_TIMEOUT_MS} ms`)),
        CALL_TIMEOUT_MS,
      );
      this.child.on('message', (message: WorkerReply) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (message.type === 'fatal') {
          clearTimeout(timer);
          const error = this.failure(`fatal: ${message.message}`);
          reject(error);
          this.failAll(error);
        } else {
          const call = this.pending.get(message.seq);
          this.pending.delete(message.seq);
          call?.resolve(message);
        }
      });
      this.child.once('exit', () => {
        clearTimeout(timer);
        reject(this.failure('exited before it was ready'));
      });
    });
    // Nobody may be awaiting it yet; its rejection is reported through `booted()`.
    this.ready.catch(() => undefined);
  }

  booted(): Promise<void> {
    return this.ready;
  }

  async request(refundNos: string[]): Promise<RequestedRefund[]> {
    return (await this.call<'requested'>({ type: 'request', refunds: refundNos.map((refundNo) => ({ refundNo })) }))
      .refunds;
  }

  async syncRound(): Promise<Reply<'synced'>['round']> {
    return (await this.call<'synced'>({ type: 'sync-round' })).round;
  }

  /** Closes the app and waits for the process to end; kills it if it does not. */
  async close(): Promise<void> {
    if (this.exitCode === null && this.child.connected) {
      await this.call<'closed'>({ type: 'close' }).catch(() => undefined);
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** The child's output, for a failure report. */
  output(): string {
    return `--- worker ${this.name} (pid ${this.child.pid}, exit ${this.exitCode ?? 'running'}) stderr ---\n${this.stderr}\n--- stdout ---\n${this.stdout}`;
  }

  private async call<T extends WorkerReply['type']>(command: Command): Promise<Reply<T>> {
    await this.ready;
    const seq = ++this.seq;
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(this.failure(`${command.type} got no answer within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(seq, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.send({ ...command, seq } as WorkerCommand, (error) => {
        if (error) this.pending.get(seq)?.reject(this.failure(`could not send ${command.type}: ${error.message}`));
      });
    });
    if (reply.type === 'error') throw this.failure(`${command.type} failed: ${reply.message}`);
    return reply as Reply<T>;
  }

  private failAll(error: Error): void {
    for (const [seq, call] of this.pending) {
      this.pending.delete(seq);
      call.reject(error);
    }
  }

  private failure(what: string): Error {
    return new Error(`worker ${this.name} ${what}\n${this.output()}`);
  }
}

/**
 * The issue's acceptance test for serial gateways, across processes: two app instances in separate
 * processes share one PostgreSQL database, and 20 concurrent refunds of one order reach a gateway
 * that refuses a second refund of an order while one is in flight (Baofoo's NOT_SUPPORT_CONCURRENT).
 * The core must hand the order's slot from refund to refund so that the gateway never sees two in
 * flight, and every refund must end SUCCEEDED.
 */
describeWithDialect('postgresql', 'a serial gateway across two processes on one database', () => {
  let db: TestDatabase | undefined;
  let orm: MikroORM | undefined;
  let server: SerialGatewayServer | undefined;
  let workers: WorkerProcess[] = [];
  let passed = false;

  afterEach(async () => {
    if (!passed) for (const worker of workers) process.stderr.write(`${worker.output()}\n`);
    await Promise.allSettled(workers.map((worker) => worker.close()));
    workers = [];
    await server?.close();
    server = undefined;
    await orm?.close(true);
    orm = undefined;
    await db?.drop();
    db = undefined;
  });

  const refundRows = () =>
    orm!.em.fork().find(Refund, { gateway: SERIAL_GATEWAY_ID }, { orderBy: { refundNo: 'asc' }, populate: ['order'] });

  /**
   * Waits until the earliest scheduled sync of an unfinished refund has come: a round found nothing
   * due because the refunds' backoff (50..200 ms) has not passed yet, and the database says when it does.
   */
  const untilNextSyncIsDue = async (): Promise<void> => {
    const [next] = await orm!.em
      .fork()
      .find(
        Refund,
        { gateway: SERIAL_GATEWAY_ID, status: { $in: [...UNFINISHED_STATUSES] }, nextSyncAt: { $ne: null } },
        { orderBy: { nextSyncAt: 'asc' }, limit: 1 },
      );
    if (!next?.nextSyncAt) throw new Error('an unfinished refund has no sync scheduled: nothing would ever finish it');
    const wait = next.nextSyncAt.getTime() - Date.now() + 1;
    // Bounded: the longest step of the schedule is 200 ms; a refund queued or holding a slot waits longer
    // only when something is wrong, and the round budget then ends the test.
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
  };

  /** Runs sync rounds, alternately in each worker, until `done` holds; returns the rounds it took. */
  const syncUntil = async (done: (rows: Refund[]) => boolean, budget: { used: number }): Promise<number> => {
    const start = budget.used;
    while (!done(await refundRows())) {
      if (budget.used >= MAX_SYNC_ROUNDS) {
        const rows = await refundRows();
        throw new Error(
          `still not done after ${MAX_SYNC_ROUNDS} sync rounds: ${JSON.stringify(
            rows.map((r) => ({
              refundNo: r.refundNo,
              status: r.status,
              failureCode: r.failureCode,
              deferredAt: r.deferredAt,
              nextSyncAt: r.nextSyncAt,
            })),
          )}; order slot ${rows[0]?.order.slotRefundId} until ${rows[0]?.order.slotExpiresAt?.toISOString()}`,
        );
      }
      const worker = workers[budget.used % workers.length];
      budget.used += 1;
      const round = await worker.syncRound();
      if (round.due === 0) await untilNextSyncIsDue();
    }
    return budget.used - start;
  };

  it('never has two refunds of one order in flight at the gateway, and all 20 succeed', async () => {
    db = await createTestDatabase('postgresql');
    if (db.options.driver !== 'postgresql') throw new Error('expected a PostgreSQL database');
    orm = await MikroORM.init(await refundOrmOptions(db.options));
    await migrateRefundSchema(orm);
    server = await SerialGatewayServer.start();

    const env = { dbUrl: db.options.url, gatewayUrl: server.url };
    workers = [new WorkerProcess('A', env), new WorkerProcess('B', env)];
    await Promise.all(workers.map((worker) => worker.booted()));

    const refundNos = Array.from({ length: 20 }, (_, i) => `R${i + 1}`);
    const [answersA, answersB] = await Promise.all([
      workers[0].request(refundNos.slice(0, 10)),
      workers[1].request(refundNos.slice(10)),
    ]);
    const answers = [...answersA, ...answersB];

    // Every refund was recorded and reserved; some had to wait for the order's slot.
    expect(answers.filter((a) => 'error' in a.answer)).toEqual([]);
    const views = answers.map((a) => a.answer as Exclude<RequestedRefund['answer'], { error: string }>);
    expect(views.every((v) => v.created)).toBe(true);
    const queued = views.filter((v) => v.status === 'REQUESTED' && v.failureCode === ORDER_SLOT_BUSY);
    expect(queued.length).toBeGreaterThan(0);

    const budget = { used: 0 };
    await syncUntil(
      (rows) => rows.length === 20 && rows.every((r) => r.status !== 'REQUESTED' && r.status !== 'UNKNOWN'),
      budget,
    );
    await syncUntil((rows) => rows.every((r) => r.status === 'SUCCEEDED'), budget);

    expect(server.stats()).toMatchObject({
      maxInFlightPerOrder: 1,
      concurrentRefusals: 0,
      refunds: 20,
      submissions: 20,
    });
    expect(server.refundNos()).toEqual([...refundNos].sort());
    const rows = await refundRows();
    expect(rows.map((r) => [r.refundNo, r.status])).toEqual([...refundNos].sort().map((no) => [no, 'SUCCEEDED']));
    const order = await orm.em
      .fork()
      .findOneOrFail(RefundOrder, { gateway: SERIAL_GATEWAY_ID, merchantId: 'm1', orderRef: 'T1' });
    expect(order).toMatchObject({ totalAmount: 1000, reservedAmount: 200, refundedAmount: 200, slotRefundId: null });
    passed = true;
  }, 60_000);
});

/**
 * What the cross-process serial-gateway specs share: worker processes (`serial-gateway.worker.ts`), each a
 * refund-core app instance, and sync rounds run alternately in them until the refunds reach a state.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

import { MikroORM } from '@mikro-orm/core';
import { Refund, UNFINISHED_STATUSES } from '@refundhub/core';

import {
  workerEnvironment,
  type RefundBatch,
  type RequestedRefund,
  type WorkerCommand,
  type WorkerConfig,
  type WorkerReply,
} from './serial-gateway.protocol';

const ROOT = join(__dirname, '..', '..');
const WORKER_ENTRY = join(__dirname, 'serial-gateway.worker.ts');
/**
 * The project @swc-node/register compiles the worker with. Not the root tsconfig: swc rewrites an import
 * of a gateway's main entry (`@refundhub/baofoo`) through the root's pattern for sandbox entries
 * (`@refundhub/<star>/sandbox`) as if that pattern had no suffix, to the gateway's sandbox index. This one
 * maps core, the kit and every gateway's main entry to their sources, and no sandbox entry at all (an
 * import of one fails to resolve instead of loading the wrong module).
 */
const WORKER_PROJECT = join(__dirname, 'serial-gateway.tsconfig.json');
/** Boot, a batch of requests, a sync round: each is far quicker than this. */
const CALL_TIMEOUT_MS = 20_000;
/** Keeps the tail of a child's output for failure messages. */
const OUTPUT_LIMIT = 64 * 1024;

type Distribute<C> = C extends unknown ? Omit<C, 'seq'> : never;
type Command = Distribute<WorkerCommand>;
type Reply<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>;

/** A refund `request` answered without an error. */
export type RequestAnswer = Exclude<RequestedRefund['answer'], { error: string }>;

/**
 * A refund-core app instance in a child process (`serial-gateway.worker.ts`), its TypeScript compiled on
 * the fly by @swc-node/register (decorators and their metadata, `@refundhub/*` paths from
 * {@link WORKER_PROJECT}).
 */
export class WorkerProcess {
  readonly name: string;
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

  constructor(config: WorkerConfig) {
    const name = config.name;
    this.name = name;
    this.child = fork(WORKER_ENTRY, [], {
      cwd: ROOT,
      execArgv: ['--require', '@swc-node/register'],
      env: { ...process.env, SWC_NODE_PROJECT: WORKER_PROJECT, ...workerEnvironment(config) },
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

  /** Requests the batch's refunds at once; answers once they and the submissions they handed off are done. */
  async request(batch: RefundBatch): Promise<RequestedRefund[]> {
    return (await this.call<'requested'>({ type: 'request', ...batch })).refunds;
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
 * Sync rounds of one gateway's refunds, run alternately in each worker until a condition on the refund
 * rows holds, within a budget of rounds shared by every {@link until} call.
 */
export class SyncRounds {
  /** Rounds run so far. */
  used = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly gateway: string,
    private readonly workers: readonly WorkerProcess[],
    /** Rounds the scenario may take in all before it counts as stuck. */
    private readonly maxRounds: number,
  ) {}

  /** The gateway's refunds as the database has them now, by refund number, with their order. */
  rows(): Promise<Refund[]> {
    return this.orm.em
      .fork()
      .find(Refund, { gateway: this.gateway }, { orderBy: { refundNo: 'asc' }, populate: ['order'] });
  }

  /** Runs rounds until `done` holds; returns the rounds it took. */
  async until(done: (rows: Refund[]) => boolean): Promise<number> {
    const start = this.used;
    while (!done(await this.rows())) {
      if (this.used >= this.maxRounds) throw new Error(await this.stuck());
      const worker = this.workers[this.used % this.workers.length];
      this.used += 1;
      const round = await worker.syncRound();
      if (round.due === 0) await this.untilNextSyncIsDue();
    }
    return this.used - start;
  }

  /**
   * Waits until the earliest scheduled sync of an unfinished refund has come: a round found nothing
   * due because the refunds' backoff (50..200 ms) has not passed yet, and the database says when it does.
   */
  private async untilNextSyncIsDue(): Promise<void> {
    const [next] = await this.orm.em
      .fork()
      .find(
        Refund,
        { gateway: this.gateway, status: { $in: [...UNFINISHED_STATUSES] }, nextSyncAt: { $ne: null } },
        { orderBy: { nextSyncAt: 'asc' }, limit: 1 },
      );
    if (!next?.nextSyncAt) throw new Error('an unfinished refund has no sync scheduled: nothing would ever finish it');
    const wait = next.nextSyncAt.getTime() - Date.now() + 1;
    // Bounded: the longest step of the schedule is 200 ms; a refund queued or holding a slot waits longer
    // only when something is wrong, and the round budget then ends the test.
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
  }

  private async stuck(): Promise<string> {
    const rows = await this.rows();
    return `still not done after ${this.maxRounds} sync rounds: ${JSON.stringify(
      rows.map((r) => ({
        refundNo: r.refundNo,
        status: r.status,
        attempts: r.attempts,
        failureCode: r.failureCode,
        deferredAt: r.deferredAt,
        nextSyncAt: r.nextSyncAt,
      })),
    )}; order slot ${rows[0]?.order.slotRefundId} until ${rows[0]?.order.slotExpiresAt?.toISOString()}`;
  }
}

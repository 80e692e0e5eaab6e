/**
 * The scheduler fleet's processes, seen from the test: the fleet gateway (`bench/lib/fleet-gateway.js`,
 * plain Node) and scheduler instances (`fleet-scheduler.worker.ts`, compiled on the fly by
 * @swc-node/register), each a child process spoken to over IPC.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

import type {
  FleetCommand,
  FleetGatewayStats,
  FleetReply,
  FleetSchedulerConfig,
  FleetSchedulerTally,
} from './fleet-protocol';

const ROOT = join(__dirname, '..', '..');
const GATEWAY_ENTRY = join(ROOT, 'bench', 'lib', 'fleet-gateway.js');
const SCHEDULER_ENTRY = join(__dirname, 'fleet-scheduler.worker.ts');
/** Boot, start, the end of a round: each is far quicker than this. */
const CALL_TIMEOUT_MS = 30_000;
/** Keeps the tail of a child's output for failure messages. */
const OUTPUT_LIMIT = 64 * 1024;

type Distribute<C> = C extends unknown ? Omit<C, 'seq'> : never;
type Command = Distribute<FleetCommand>;
type Reply<T extends FleetReply['type']> = Extract<FleetReply, { type: T }>;

/** A child process whose output is kept for a failure report, and whose end is awaited on close. */
class Child {
  readonly exited: Promise<void>;
  exitCode: number | null = null;
  private out = '';

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => (this.out = (this.out + chunk.toString('utf8')).slice(-OUTPUT_LIMIT));
    process.stdout?.on('data', keep);
    process.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      process.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : 0);
        resolve();
      }),
    );
  }

  get running(): boolean {
    return this.exitCode === null;
  }

  /** The first message of `type`, or an error when the process ends or stays silent first. */
  first<T extends FleetReply['type'] | 'listening'>(type: T, what: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(this.failure(`${what} within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
      const onMessage = (message: { type?: string; message?: string }) => {
        if (message.type !== type && message.type !== 'fatal') return;
        clearTimeout(timer);
        this.process.off('message', onMessage);
        if (message.type === type) resolve(message);
        else reject(this.failure(`fatal: ${message.message}`));
      };
      this.process.on('message', onMessage);
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(this.failure(`exited before: ${what}`));
      });
    });
  }

  /** Ends the process (SIGKILL if it does not go within 5 s) and waits for it. */
  async kill(): Promise<void> {
    if (this.running) this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  output(): string {
    return `--- ${this.name} (pid ${this.process.pid}, exit ${this.exitCode ?? 'running'}) ---\n${this.out}`;
  }

  failure(what: string): Error {
    return new Error(`${this.name}: ${what}\n${this.output()}`);
  }
}

/** The fleet gateway in a process of its own. */
export class FleetGatewayProcess {
  private constructor(
    private readonly child: Child,
    readonly url: string,
  ) {}

  static async start(): Promise<FleetGatewayProcess> {
    const child = new Child(
      'fleet gateway',
      fork(GATEWAY_ENTRY, [], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }),
    );
    const { url } = (await child.first('listening', 'did not listen')) as { url: string };
    return new FleetGatewayProcess(child, url);
  }

  /** Forgets everything and holds these refunds, accepted, unfinished. */
  async seed(seed: {
    merchantId: string;
    amount: number;
    refundNos: string[];
    processingAnswers: number;
    holdMs: number;
  }): Promise<void> {
    const response = await fetch(`${this.url}/control/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(seed),
    });
    if (!response.ok) throw this.child.failure(`seed answered HTTP ${response.status}: ${await response.text()}`);
  }

  async stats(expectQueries?: number): Promise<FleetGatewayStats> {
    const query = expectQueries === undefined ? '' : `?expectQueries=${expectQueries}`;
    const response = await fetch(`${this.url}/control/stats${query}`);
    if (!response.ok) throw this.child.failure(`stats answered HTTP ${response.status}`);
    return (await response.json()) as FleetGatewayStats;
  }

  get running(): boolean {
    return this.child.running;
  }

  output(): string {
    return this.child.output();
  }

  close(): Promise<void> {
    return this.child.kill();
  }
}

/** One scheduler instance (`fleet-scheduler.worker.ts`) in a process of its own. */
export class FleetSchedulerProcess {
  private readonly child: Child;
  private readonly ready: Promise<unknown>;
  private seq = 0;

  constructor(readonly config: FleetSchedulerConfig) {
    this.child = new Child(
      `scheduler ${config.name}`,
      fork(SCHEDULER_ENTRY, [], {
        cwd: ROOT,
        execArgv: ['--require', '@swc-node/register'],
        env: {
          ...process.env,
          SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          REFUNDHUB_FLEET_SCHEDULER: JSON.stringify(config),
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      }),
    );
    this.ready = this.child.first('ready', 'did not boot');
    // Nobody may be awaiting it yet; its rejection is reported through `booted()`.
    this.ready.catch(() => undefined);
  }

  get name(): string {
    return this.config.name;
  }

  get running(): boolean {
    return this.child.running;
  }

  async booted(): Promise<void> {
    await this.ready;
  }

  async start(): Promise<void> {
    await this.call<'started'>({ type: 'start' });
  }

  /** Ends the loop after its round in progress; what this instance did, by its own count. */
  async stop(): Promise<FleetSchedulerTally> {
    return (await this.call<'stopped'>({ type: 'stop' })).tally;
  }

  /** Closes the app and waits for the process to end; kills it if it does not. */
  async close(): Promise<void> {
    if (this.child.running && this.child.process.connected) {
      await this.call<'closed'>({ type: 'close' }).catch(() => undefined);
    }
    await this.child.kill();
  }

  output(): string {
    return this.child.output();
  }

  private async call<T extends FleetReply['type']>(command: Command): Promise<Reply<T>> {
    await this.ready;
    const seq = ++this.seq;
    const answered = new Promise<FleetReply>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(this.child.failure(`${command.type} got no answer within ${CALL_TIMEOUT_MS} ms`)),
        CALL_TIMEOUT_MS,
      );
      const onMessage = (message: FleetReply) => {
        if ('seq' in message && message.seq === seq) {
          clearTimeout(timer);
          this.child.process.off('message', onMessage);
          resolve(message);
        }
      };
      this.child.process.on('message', onMessage);
      void this.child.exited.then(() => {
        clearTimeout(timer);
        reject(this.child.failure(`exited before it answered ${command.type}`));
      });
    });
    this.child.process.send({ ...command, seq } as FleetCommand);
    const reply = await answered;
    if (reply.type === 'error') throw this.child.failure(`${command.type} failed: ${reply.message}`);
    return reply as Reply<T>;
  }
}

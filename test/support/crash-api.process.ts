/**
 * The API process of the crash-recovery test, seen from the test: `crash-api.worker.ts` forked with
 * `--require @swc-node/register`, which reports its URL over IPC once listening, and which the test (or
 * the core's crash point) kills with SIGKILL.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

import { CRASH_API_ENV, type CrashApiMessage } from './crash-api.protocol';

const ROOT = join(__dirname, '..', '..');
const WORKER_ENTRY = join(__dirname, 'crash-api.worker.ts');
/**
 * The project @swc-node/register compiles the worker with: like `serial-gateway.tsconfig.json` (no
 * pattern for sandbox entries, which swc would misapply to the gateways' main entries), plus the host
 * package, which the API imports and whose built copy must not be loaded.
 */
const WORKER_PROJECT = join(__dirname, 'crash-worker.tsconfig.json');
/** Compiling and booting the API takes a few seconds on a loaded machine; far less than this. */
const BOOT_TIMEOUT_MS = 30_000;
/** A graceful stop (SIGTERM, shutdown hooks) that takes longer than this ends with SIGKILL. */
const STOP_TIMEOUT_MS = 5_000;
/** Keeps the tail of a child's output for failure messages. */
const OUTPUT_LIMIT = 64 * 1024;

export interface CrashApiOptions {
  /** A name for logs and failure reports. */
  name: string;
  /** The operator configuration file (JSON). */
  configFile: string;
  /** Where the worker's listener appends final events. */
  eventsFile: string;
  /** The crash point the process kills itself at (`REFUNDHUB_CRASH_AT`); none when absent. */
  crashAt?: 'after-requested-commit' | 'after-gateway-answer' | 'after-outcome-commit';
}

/** How the process ended. */
export interface CrashApiExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class CrashApiProcess {
  readonly name: string;
  /** Resolves when the process has ended, however. */
  readonly exited: Promise<CrashApiExit>;
  private readonly child: ChildProcess;
  private out = '';
  private exit: CrashApiExit | null = null;

  private constructor(
    options: CrashApiOptions,
    /** Where the API listens, once {@link start} resolved. */
    public url = '',
  ) {
    this.name = options.name;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      SWC_NODE_PROJECT: WORKER_PROJECT,
      [CRASH_API_ENV.config]: options.configFile,
      [CRASH_API_ENV.eventsFile]: options.eventsFile,
      [CRASH_API_ENV.name]: options.name,
    };
    delete env.REFUNDHUB_CRASH_AT;
    if (options.crashAt) env.REFUNDHUB_CRASH_AT = options.crashAt;
    this.child = fork(WORKER_ENTRY, [], {
      cwd: ROOT,
      execArgv: ['--require', '@swc-node/register'],
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer) => (this.out = (this.out + chunk.toString('utf8')).slice(-OUTPUT_LIMIT));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  /** Forks the API and resolves once it listens; rejects (with its output) when it dies or stays silent first. */
  static async start(options: CrashApiOptions): Promise<CrashApiProcess> {
    const api = new CrashApiProcess(options);
    const listening = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(api.failure(`did not listen within ${BOOT_TIMEOUT_MS} ms`)),
        BOOT_TIMEOUT_MS,
      );
      api.child.on('message', (message: CrashApiMessage) => {
        clearTimeout(timer);
        if (message.type === 'listening') resolve(message.url);
        else reject(api.failure(`fatal: ${message.message}`));
      });
      void api.exited.then(() => {
        clearTimeout(timer);
        reject(api.failure('exited before it listened'));
      });
    });
    try {
      api.url = await listening;
    } catch (error) {
      await api.killHard();
      throw error;
    }
    return api;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** kill -9, from outside: the process gets no chance to finish anything. */
  async killHard(): Promise<CrashApiExit> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Ends the process gracefully (SIGTERM: the app's shutdown hooks close it), or with SIGKILL when that hangs. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** The process's output, for a failure report. */
  output(): string {
    const exit = this.exit ? `exit code ${this.exit.code}, signal ${this.exit.signal}` : 'running';
    return `--- API ${this.name} (pid ${this.child.pid}, ${exit}) ---\n${this.out}`;
  }

  private failure(what: string): Error {
    return new Error(`API ${this.name} ${what}\n${this.output()}`);
  }
}

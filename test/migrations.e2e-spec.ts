import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

import { POSTGRESQL_MIGRATIONS } from '../libs/refund-core/src/persistence/migrations/postgresql';
import { SQLITE_MIGRATIONS } from '../libs/refund-core/src/persistence/migrations/sqlite';
import { TestDatabase, createTestDatabase, describeWithDialect } from './support/databases';
import type { MigrateReply } from './support/migrate.worker';

const ROOT = join(__dirname, '..');
const WORKER_ENTRY = join(__dirname, 'support', 'migrate.worker.ts');
const PROCESSES = 4;
/** Compiling and booting a worker is far quicker than this. */
const TIMEOUT_MS = 30_000;

/** A migrate worker, seen from the test: its replies in order, and its output for a failure message. */
class MigrateProcess {
  private readonly child: ChildProcess;
  private readonly replies: MigrateReply[] = [];
  private waiters: Array<() => void> = [];
  private out = '';

  constructor(database: TestDatabase['options']) {
    this.child = fork(WORKER_ENTRY, [], {
      cwd: ROOT,
      execArgv: ['--require', '@swc-node/register'],
      env: {
        ...process.env,
        SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        REFUNDHUB_MIGRATE_DATABASE: JSON.stringify(database),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer) => (this.out += chunk.toString('utf8'));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('message', (reply: MigrateReply) => {
      this.replies.push(reply);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.on('exit', () => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  async next<T extends MigrateReply['type']>(...types: T[]): Promise<Extract<MigrateReply, { type: T }>> {
    const giveUpAt = Date.now() + TIMEOUT_MS;
    for (;;) {
      const reply = this.replies.shift();
      if (reply) {
        if ((types as string[]).includes(reply.type)) return reply as Extract<MigrateReply, { type: T }>;
        throw new Error(`expected ${types.join(' or ')}, got ${JSON.stringify(reply)}`);
      }
      if (this.child.exitCode !== null) throw new Error(`the worker exited before ${types.join('/')}:\n${this.out}`);
      if (Date.now() > giveUpAt) throw new Error(`no ${types.join('/')} within ${TIMEOUT_MS} ms:\n${this.out}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  go(): void {
    this.child.send('go');
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/**
 * Hosts that start together on a new database (docker-compose's replicas, several processes on one
 * SQLite file) all migrate at once: one applies every migration, the others wait for it and find nothing
 * left to do, and none fails.
 */
for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'processes that migrate one new database at once', () => {
    let db: TestDatabase | undefined;
    let workers: MigrateProcess[] = [];

    afterEach(async () => {
      for (const worker of workers) worker.kill();
      workers = [];
      await db?.drop();
      db = undefined;
    });

    it(`applies every migration once among ${PROCESSES} processes`, async () => {
      db = await createTestDatabase(dialect);
      const database = db.options;
      workers = Array.from({ length: PROCESSES }, () => new MigrateProcess(database));
      await Promise.all(workers.map((worker) => worker.next('ready')));

      for (const worker of workers) worker.go();
      const replies = await Promise.all(workers.map((worker) => worker.next('migrated', 'failed')));

      expect(replies.filter((reply) => reply.type === 'failed')).toEqual([]);
      const applied = replies.map((reply) => (reply.type === 'migrated' ? reply.applied : []));
      const all = (dialect === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRESQL_MIGRATIONS).map((m) => m.name);
      expect(applied.filter((names) => names.length > 0)).toEqual([all]);
      expect(applied.filter((names) => names.length === 0)).toHaveLength(PROCESSES - 1);
    }, 60_000);
  });
}

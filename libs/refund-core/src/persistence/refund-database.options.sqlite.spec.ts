import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';

import { MikroORM } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';

import { DatabaseBusyError } from '../errors';
import { refundOrmOptions, type SqliteDatabaseOptions } from './refund-database.options';
import { TestDatabase, createTestDatabase } from '../testing/support/test-databases';

/**
 * What another process that does not wait for locks meets when it tries to write: `written`, or the
 * error. A real process: SQLite keeps the locks of one process's connections to a file in shared
 * bookkeeping, which a test should not lean on.
 */
const OTHER_PROCESS = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1], { timeout: 0 });
try { db.exec('BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT'); process.stdout.write('written'); }
catch (error) { process.stdout.write(String(error.message)); }
`;

/** Another process that takes the write lock, says so, and lets go when told (a line on its stdin). */
const LOCK_HOLDER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1], { timeout: 0 });
db.exec('BEGIN IMMEDIATE; INSERT INTO t VALUES (2)');
process.stdout.write('holding\\n');
process.stdin.once('data', () => { db.exec('COMMIT'); process.stdout.write('released\\n'); process.exit(0); });
`;

/** SQLite's settings for several processes on one file. */
describe('refundOrmOptions on SQLite', () => {
  let db: TestDatabase;
  const orms: MikroORM[] = [];

  afterEach(async () => {
    try {
      for (const orm of orms.splice(0)) await orm.close(true);
    } finally {
      await db?.drop();
    }
  });

  async function open(options: Partial<SqliteDatabaseOptions> = {}): Promise<SqlEntityManager> {
    if (db.options.driver !== 'sqlite') throw new Error('expected a SQLite database');
    const orm = await MikroORM.init(await refundOrmOptions({ ...db.options, ...options }));
    orms.push(orm);
    return orm.em.fork() as SqlEntityManager;
  }

  beforeEach(async () => {
    db = await createTestDatabase('sqlite');
  });

  const pragma = async (em: SqlEntityManager, name: string): Promise<unknown> => {
    const [row] = (await em.getConnection().execute(`pragma ${name}`)) as Record<string, unknown>[];
    return Object.values(row)[0];
  };
  const anotherProcessWrites = (): string => {
    if (db.options.driver !== 'sqlite') throw new Error('expected a SQLite database');
    return execFileSync(process.execPath, ['-e', OTHER_PROCESS, db.options.path], { encoding: 'utf8' });
  };
  const read = (em: SqlEntityManager) =>
    em.getConnection().execute('select count(*) from t', [], 'all', em.getTransactionContext());

  it('runs the file in WAL mode with a busy timeout and durable commits by default', async () => {
    const em = await open();

    expect(await pragma(em, 'journal_mode')).toBe('wal');
    expect(await pragma(em, 'busy_timeout')).toBe(5000);
    expect(await pragma(em, 'synchronous')).toBe(2); // FULL
  });

  it('takes synchronous and the busy timeout from the options', async () => {
    const em = await open({ synchronous: 'normal', busyTimeoutMs: 250 });

    expect(await pragma(em, 'synchronous')).toBe(1);
    expect(await pragma(em, 'busy_timeout')).toBe(250);
  });

  /** Starts a process holding the write lock, and resolves once it holds it. */
  const anotherProcessHoldsTheLock = async (): Promise<ChildProcess> => {
    if (db.options.driver !== 'sqlite') throw new Error('expected a SQLite database');
    const holder = spawn(process.execPath, ['-e', LOCK_HOLDER, db.options.path], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    holders.push(holder);
    const [first] = (await once(holder.stdout!, 'data')) as [Buffer];
    expect(first.toString()).toMatch(/holding/);
    return holder;
  };
  const holders: ChildProcess[] = [];
  afterEach(() => {
    for (const holder of holders.splice(0)) holder.kill();
  });

  it("waits for another process's write lock without holding the event loop, then writes", async () => {
    const em = await open({ busyTimeoutMs: 30_000 });
    await em.getConnection().execute('create table t (n integer)');
    const holder = await anotherProcessHoldsTheLock();

    const writing = em.transactional((trx) =>
      trx.getConnection().execute('insert into t values (1)', [], 'run', trx.getTransactionContext()),
    );
    // The transaction meets the lock within this pause. Only a running event loop gets past it to
    // tell the holder to let go: a synchronous wait would sit out the whole busy timeout and fail.
    await new Promise((resolve) => setTimeout(resolve, 100));
    holder.stdin!.write('release\n');
    await writing;
    expect(await read(em)).toEqual([{ 'count(*)': 2 }]);
  });

  it('fails with DatabaseBusyError once the busy timeout has passed, having written nothing', async () => {
    const em = await open({ busyTimeoutMs: 150 });
    await em.getConnection().execute('create table t (n integer)');
    await anotherProcessHoldsTheLock();

    const failure = await em
      .transactional((trx) =>
        trx.getConnection().execute('insert into t values (1)', [], 'run', trx.getTransactionContext()),
      )
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatabaseBusyError);
    expect(failure).toMatchObject({ code: 'DATABASE_BUSY' });
    expect(await read(em)).toEqual([{ 'count(*)': 0 }]);
  });

  it('holds the write lock from BEGIN, before the transaction has written anything', async () => {
    const em = await open();
    await em.getConnection().execute('create table t (n integer)');

    await em.transactional(async (trx) => {
      await read(trx);
      // A plain BEGIN would hold no lock yet: the other writer would get in, and this one fail later.
      expect(anotherProcessWrites()).toMatch(/database is locked/);
    });
    expect(anotherProcessWrites()).toBe('written');
  });
});

import { MikroORM } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';

import { refundOrmOptions, type SqliteDatabaseOptions } from './refund-database.options';
import { TestDatabase, createTestDatabase } from '../testing/support/test-databases';

/**
 * SQLite's settings for several processes on one file. A second connection that does not wait for
 * locks (`busyTimeoutMs: 0`) stands for another process: it fails at once where a process would wait.
 */
describe('refundOrmOptions on SQLite', () => {
  let db: TestDatabase;
  const orms: MikroORM[] = [];

  afterEach(async () => {
    for (const orm of orms.splice(0)) await orm.close(true);
    await db?.drop();
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

  it('holds the write lock from BEGIN, before the transaction has written anything', async () => {
    const em = await open();
    const other = await open({ busyTimeoutMs: 0 });
    expect(await pragma(other, 'busy_timeout')).toBe(0);
    await em.getConnection().execute('create table t (n integer)');

    await em.transactional(async (trx) => {
      await read(trx);
      // A plain BEGIN would hold no lock yet: the other writer would get in, and this one fail later.
      await expect(other.transactional((trx2) => read(trx2))).rejects.toThrow(/database is locked/);
      // Readers are never held up by the writer (WAL).
      await expect(read(other)).resolves.toEqual([{ 'count(*)': 0 }]);
    });
    await expect(other.transactional((trx2) => read(trx2))).resolves.toEqual([{ 'count(*)': 0 }]);
  });
});

import { RefundWrites } from '../../persistence/sql/write-transactions';
import { isUniqueViolation } from '../../persistence/sql/sql-session';
import { sql } from '../../persistence/sql/sql-statement';
import { FakeGateway } from '../fake-gateway';
import { CoreHarness, createCoreHarness } from './core-harness';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

const INSERT = sql(`insert into "write_probe" ("id", "amount", "at", "flag") values (?, ?, ?, ?)`);
const UPDATE_AMOUNT = sql(`update "write_probe" set "amount" = ? where "id" = ?`);
const READ = sql(`select "id", "amount", "at", "flag" from "write_probe" order by "id"`);

/** The write path's transactions: group commit on SQLite, isolation of each one's failure, values as stored. */
export function writeTransactionsSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundWrites', () => {
    let db: TestDatabase;
    let h: CoreHarness;
    let writes: RefundWrites;
    const insert = (id: string, amount = 1) =>
      writes.transaction((s) => s.run(INSERT, [id, amount, new Date('2026-01-05T04:00:00.123Z'), true]));
    const ids = async () => (await writes.transaction((s) => s.all(READ, []))).map((row) => String(row.id));

    beforeEach(async () => {
      db = await createTestDatabase(dialect);
      h = await createCoreHarness(db.options, { gateway: new FakeGateway('fake') });
      writes = h.app.get(RefundWrites);
      const timestamp = dialect === 'postgresql' ? 'timestamptz' : 'datetime';
      await h.orm.em
        .fork()
        .getConnection()
        .execute(
          `create table "write_probe" ("id" varchar(8) primary key, "amount" bigint not null, "at" ${timestamp} not null, "flag" boolean not null)`,
        );
    });

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    it('one transaction that fails is undone alone: those begun with it commit, and each hears its own end', async () => {
      const failing = writes.transaction(async (s) => {
        await s.run(INSERT, ['b', 1, new Date(), false]);
        throw new Error('refused');
      });
      const results = await Promise.allSettled([insert('a'), failing, insert('c')]);

      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
      expect(await ids()).toEqual(['a', 'c']);
    });

    it('a key written twice fails the second writer with a unique violation, and only it', async () => {
      const [first, second, other] = await Promise.allSettled([insert('a'), insert('a'), insert('b')]);

      // Which of the two writers of 'a' wins is the database's choice (on PostgreSQL they race on two connections).
      const twins = [first, second];
      expect(twins.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const lost = twins.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(isUniqueViolation(lost?.reason)).toBe(true);
      expect(other.status).toBe('fulfilled');
      expect(await ids()).toEqual(['a', 'b']);
    });

    it('a savepoint that fails undoes its own writes and the transaction goes on', async () => {
      await writes.transaction(async (s) => {
        await s.run(INSERT, ['a', 1, new Date(), true]);
        const failed = await s
          .savepoint(() => s.run(INSERT, ['a', 2, new Date(), true]))
          .catch((error: unknown) => error);
        expect(isUniqueViolation(failed)).toBe(true);
        await s.run(INSERT, ['b', 1, new Date(), true]);
      });
      expect(await ids()).toEqual(['a', 'b']);
    });

    it('writes held for one round trip are all stored, and a read after them sees them', async () => {
      const seen = await writes.transaction(async (s) => {
        s.write(INSERT, ['a', 1, new Date(), true]);
        s.write(INSERT, ['b', 2, new Date(), false]);
        return (await s.all(READ, [])).map((row) => String(row.id));
      });
      expect(seen).toEqual(['a', 'b']);
      await writes.transaction(async (s) => s.write(INSERT, ['c', 3, new Date(), true]));
      expect(await ids()).toEqual(['a', 'b', 'c']);
    });

    it('a write that cannot join the held ones closes them: all are stored, in the order written', async () => {
      const seen = await writes.transaction(async (s) => {
        s.write(INSERT, ['a', 1, new Date(), true]);
        // An update of a table the batch inserts into cannot share its snapshot: it starts a batch of its own.
        s.write(UPDATE_AMOUNT, [7, 'a']);
        s.write(INSERT, ['b', 2, new Date(), false]);
        s.write(UPDATE_AMOUNT, [8, 'b']);
        return (await s.all(READ, [])).map((row) => [String(row.id), Number(row.amount)]);
      });
      expect(seen).toEqual([
        ['a', 7],
        ['b', 8],
      ]);
    });

    it('a held write on a taken key fails its transaction by the commit, and nothing of it stays', async () => {
      await insert('a');
      const failed = await writes
        .transaction(async (s) => {
          s.write(INSERT, ['b', 1, new Date(), true]);
          s.write(INSERT, ['a', 2, new Date(), true]);
        })
        .catch((error: unknown) => error);
      expect(isUniqueViolation(failed)).toBe(true);
      expect(await ids()).toEqual(['a']);
    });

    it('a held write on a taken key fails inside the savepoint that held it', async () => {
      await writes.transaction(async (s) => {
        s.write(INSERT, ['a', 1, new Date(), true]);
        const failed = await s
          .savepoint(async () => s.write(INSERT, ['a', 2, new Date(), true]))
          .catch((error: unknown) => error);
        expect(isUniqueViolation(failed)).toBe(true);
        s.write(INSERT, ['b', 1, new Date(), true]);
      });
      expect(await ids()).toEqual(['a', 'b']);
    });

    it('reads back dates, large fen amounts and flags as they were written', async () => {
      await insert('a', 2 ** 40 + 7);
      const [row] = await writes.transaction((s) => s.all(READ, []));
      // SQLite keeps epoch milliseconds; PostgreSQL's driver gives text under MikroORM's type parsers.
      const at = typeof row.at === 'number' ? new Date(row.at) : new Date(String(row.at));
      expect(at.toISOString()).toBe('2026-01-05T04:00:00.123Z');
      expect(Number(row.amount)).toBe(2 ** 40 + 7);
      expect(Boolean(row.flag)).toBe(true);
    });

    it(
      dialect === 'sqlite'
        ? 'transactions begun together share one commit'
        : 'every transaction commits on its own (PostgreSQL groups concurrent commits itself)',
      async () => {
        const before = writes.commitCounts();
        await Promise.all(Array.from({ length: 20 }, (_, i) => insert(`k${String(i).padStart(2, '0')}`)));
        const after = writes.commitCounts();

        expect(after.transactions - before.transactions).toBe(20);
        if (dialect === 'sqlite') expect(after.commits - before.commits).toBe(1);
        else expect(after.commits - before.commits).toBe(20);
        expect(await ids()).toHaveLength(20);
      },
    );
  });
}

import { type SqlRow, type SqlSession, type SqlValue, withStatement } from './sql-session';
import type { SqlStatement } from './sql-statement';
import { type ConnectionPool, borrowConnection } from './connection-pool';
import { type PgBatchQuery, type PgQuery, PgWriteBatch } from './postgres-write-batch';
import type { CommitCounts, DialectWrites } from './write-transactions';

/** The `pg` client MikroORM's pool holds, as far as the write path uses it. */
export interface PgConnection {
  query(
    config: string | { name: string; text: string; values: readonly SqlValue[] },
  ): Promise<{ rows: SqlRow[]; rowCount: number | null }>;
}

/**
 * The write path on PostgreSQL: a transaction on a connection of MikroORM's pool, its statements
 * prepared once per connection under their names. PostgreSQL groups the commits of concurrent
 * transactions itself, and the row locks (`for update`) order the writers of one order or refund.
 */
export class PostgresWrites implements DialectWrites {
  private readonly counts: CommitCounts = { transactions: 0, commits: 0 };

  constructor(private readonly pool: ConnectionPool<PgConnection>) {}

  commitCounts(): CommitCounts {
    return { ...this.counts };
  }

  /** Without a transaction around it: one round trip instead of three. */
  statement<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.outside(work);
  }

  outside<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return borrowConnection(this.pool, async (connection) => {
      const session = this.session(connection);
      const value = await work(session);
      await session.send();
      return value;
    });
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return borrowConnection(this.pool, async (connection) => {
      await connection.query('begin');
      try {
        const session = this.session(connection);
        const value = await work(session);
        await session.send();
        await connection.query('commit');
        this.counts.transactions += 1;
        this.counts.commits += 1;
        return value;
      } catch (error) {
        await connection.query('rollback');
        throw error;
      }
    });
  }

  /** A session on `connection`; `send` sends the writes it still holds (before a commit). */
  private session(connection: PgConnection): SqlSession & { send(): Promise<void> } {
    let savepoints = 0;
    const batch = new PgWriteBatch();
    // Batches closed by a write that could not join them, to be sent, in order, before anything else.
    const closed: PgBatchQuery[] = [];
    const execute = async (config: PgQuery, partOn: (table: unknown) => string | null = () => null) => {
      try {
        return await connection.query({ name: config.name, text: config.text, values: config.values });
      } catch (error) {
        // The driver's stack is its socket handler's; this one shows which of ours sent the statement.
        if (error instanceof Error) Error.captureStackTrace(error);
        // Of a batch, the part that wrote the table the server names (its constraint errors name one).
        throw withStatement(error, partOn((error as { table?: unknown } | null)?.table) ?? config.text);
      }
    };
    const send = async () => {
      const last = batch.take();
      if (last) closed.push(last);
      for (const queued of closed.splice(0)) await execute(queued, queued.partOn);
    };
    const query = (s: SqlStatement, params: readonly SqlValue[]) => {
      const config = { name: s.name, text: s.postgresql, values: params };
      // No detour through `send` when nothing is held: most reads come before a transaction's writes.
      return batch.size === 0 && closed.length === 0 ? execute(config) : sendThenExecute(config);
    };
    const sendThenExecute = async (config: PgQuery) => {
      await send();
      return execute(config);
    };
    return {
      dialect: 'postgresql',
      all: async (s, params) => (await query(s, params)).rows,
      one: async (s, params) => (await query(s, params)).rows[0],
      run: async (s, params) => (await query(s, params)).rowCount ?? 0,
      write: (s, params) => {
        if (!batch.accepts(s)) {
          const full = batch.take();
          if (full) closed.push(full);
        }
        batch.add(s, params);
      },
      send,
      savepoint: async <T>(work: () => Promise<T>): Promise<T> => {
        const name = `refundhub_sp${(savepoints += 1)}`;
        await send();
        await connection.query(`savepoint ${name}`);
        try {
          const value = await work();
          // What the savepoint's work queued fails inside it, where its caller handles the failure.
          await send();
          await connection.query(`release savepoint ${name}`);
          return value;
        } catch (error) {
          batch.clear();
          closed.length = 0;
          await connection.query(`rollback to savepoint ${name}`);
          throw error;
        }
      },
    };
  }
}

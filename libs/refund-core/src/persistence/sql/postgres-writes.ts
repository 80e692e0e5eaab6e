import { type SqlRow, type SqlSession, type SqlValue, withStatement } from './sql-session';
import type { SqlStatement } from './sql-statement';
import { type ConnectionPool, borrowConnection } from './connection-pool';
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
    return borrowConnection(this.pool, (connection) => work(this.session(connection)));
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return borrowConnection(this.pool, async (connection) => {
      await connection.query('begin');
      try {
        const value = await work(this.session(connection));
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

  private session(connection: PgConnection): SqlSession {
    let savepoints = 0;
    const query = async (s: SqlStatement, params: readonly SqlValue[]) => {
      try {
        return await connection.query({ name: s.name, text: s.postgresql, values: params });
      } catch (error) {
        // The driver's stack is its socket handler's; this one shows which of ours sent the statement.
        if (error instanceof Error) Error.captureStackTrace(error);
        throw withStatement(error, s.postgresql);
      }
    };
    return {
      dialect: 'postgresql',
      all: async (s, params) => (await query(s, params)).rows,
      one: async (s, params) => (await query(s, params)).rows[0],
      run: async (s, params) => (await query(s, params)).rowCount ?? 0,
      savepoint: async <T>(work: () => Promise<T>): Promise<T> => {
        const name = `refundhub_sp${(savepoints += 1)}`;
        await connection.query(`savepoint ${name}`);
        try {
          const value = await work();
          await connection.query(`release savepoint ${name}`);
          return value;
        } catch (error) {
          await connection.query(`rollback to savepoint ${name}`);
          throw error;
        }
      },
    };
  }
}

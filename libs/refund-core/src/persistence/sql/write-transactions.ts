import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';

import { InjectRefundOrm } from '../refund-orm.token';
import { supportsRowLocks } from '../storage-dialect';
import { PostgresWrites, type PgConnection } from './postgres-writes';
import type { SqlSession } from './sql-session';
import { SqliteWrites, type BetterSqliteConnection } from './sqlite-writes';

/** The pool of MikroORM's connection (knex's client), from which the write path borrows. */
export interface ConnectionPool<C> {
  acquireConnection(): Promise<C>;
  releaseConnection(connection: C): unknown;
}

export interface WriteTransactions {
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

/** How the write path's transactions were committed: several share one commit on SQLite. */
export interface CommitCounts {
  /** Transactions committed (their work succeeded). */
  transactions: number;
  /** Commits (fsyncs) it took. */
  commits: number;
}

/**
 * Transactions of the write path (requesting a refund, applying what a gateway said, the events they
 * produce): prepared statements on the connection MikroORM already owns, without its unit of work.
 * MikroORM keeps the entities, the migrations and every read off this path.
 *
 * `work` runs inside the transaction and must not start another through this service (it would wait
 * for itself). It may run more than once, never with its writes kept twice: a caller that retries
 * after a lost race calls `transaction` again.
 */
@Injectable()
export class RefundWrites implements WriteTransactions {
  private writes?: SqliteWrites | PostgresWrites;

  constructor(@InjectRefundOrm() private readonly orm: MikroORM) {}

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.dialectWrites().transaction(work);
  }

  /** Since start: transactions committed and the commits they took (for benchmarks and tests). */
  commitCounts(): CommitCounts {
    return this.writes instanceof SqliteWrites || this.writes instanceof PostgresWrites
      ? this.writes.commitCounts()
      : { transactions: 0, commits: 0 };
  }

  private dialectWrites(): WriteTransactions {
    if (this.writes) return this.writes;
    const knex = (this.orm.em.getConnection() as AbstractSqlConnection).getKnex();
    const client = knex.client as unknown as ConnectionPool<unknown>;
    const pool: ConnectionPool<unknown> = {
      acquireConnection: () => client.acquireConnection(),
      releaseConnection: (connection) => client.releaseConnection(connection),
    };
    this.writes = supportsRowLocks(this.orm.em)
      ? new PostgresWrites(pool as ConnectionPool<PgConnection>)
      : new SqliteWrites(pool as ConnectionPool<BetterSqliteConnection>);
    return this.writes;
  }
}

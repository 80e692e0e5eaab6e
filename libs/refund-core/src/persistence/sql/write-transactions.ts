import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';

import { InjectRefundOrm } from '../refund-orm.token';
import { supportsRowLocks } from '../storage-dialect';
import type { ConnectionPool } from './connection-pool';
import { PostgresWrites, type PgConnection } from './postgres-writes';
import type { SqlSession } from './sql-session';
import { SqliteWrites, type BetterSqliteConnection } from './sqlite-writes';

export type { ConnectionPool } from './connection-pool';

export interface WriteTransactions {
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

/** One dialect's side of the write path. */
export interface DialectWrites extends WriteTransactions {
  /** Runs `work` on a connection of the pool outside any transaction (reads, or one statement alone). */
  outside<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** One write statement, atomic on its own, committed as the dialect commits best (see RefundWrites.statement). */
  statement<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  commitCounts(): CommitCounts;
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
  private writes?: DialectWrites;

  constructor(@InjectRefundOrm() private readonly orm: MikroORM) {}

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.dialectWrites().transaction(work);
  }

  /** Reads on the write path's prepared statements, outside any transaction: each statement sees what is committed. */
  read<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.dialectWrites().outside(work);
  }

  /**
   * One write statement, atomic on its own (a conditional update of a lease): on PostgreSQL without a
   * transaction around it, one round trip instead of three; on SQLite in the group commit, so that it
   * shares the fsync of whatever writes arrive with it.
   */
  statement<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.dialectWrites().statement(work);
  }

  /** Since start: transactions committed and the commits they took (for benchmarks and tests). */
  commitCounts(): CommitCounts {
    return this.writes?.commitCounts() ?? { transactions: 0, commits: 0 };
  }

  private dialectWrites(): DialectWrites {
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

import { BetterSqliteKnexDialect } from '@mikro-orm/knex';

/** knex's transaction object: only the members this dialect touches. */
interface KnexTransaction {
  begin(connection: unknown): Promise<unknown>;
  trxClient: { query(connection: unknown, sql: string): Promise<unknown> };
}

/**
 * better-sqlite3 whose transactions all begin `IMMEDIATE`, taking SQLite's write lock at `BEGIN`.
 * A plain (deferred) `BEGIN` reads first and asks for the write lock only at its first write; when
 * another process wrote in between, that upgrade fails at once with SQLITE_BUSY (the busy timeout
 * cannot help a transaction that holds a stale snapshot). Taking the lock first makes every write
 * transaction wait its turn instead, so several processes can share one file and the balance guard's
 * read-then-write stays one step. Nested transactions are savepoints, which knex does not begin here.
 *
 * The statement goes to the connection directly rather than through knex's `Transaction.query`,
 * which on a failed `BEGIN` would hand out a dead transaction ("Transaction query already complete")
 * instead of the error: a lock still held after the busy timeout must say "database is locked".
 */
export class ImmediateBetterSqliteDialect extends BetterSqliteKnexDialect {
  transaction(...args: unknown[]): KnexTransaction {
    const transaction = (super.transaction as (...a: unknown[]) => KnexTransaction).apply(this, args);
    transaction.begin = (connection) => transaction.trxClient.query(connection, 'BEGIN IMMEDIATE;');
    return transaction;
  }
}

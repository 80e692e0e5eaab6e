import { setTimeout as sleep } from 'node:timers/promises';

import { BetterSqliteKnexDialect } from '@mikro-orm/knex';

import { DatabaseBusyError } from '../errors';

/** knex's transaction object: only the members this dialect touches. */
interface KnexTransaction {
  begin(connection: SqliteConnection): Promise<unknown>;
  trxClient: { query(connection: SqliteConnection, sql: string): Promise<unknown> };
}

/** The better-sqlite3 connection, as far as the dialect uses it. */
export interface SqliteConnection {
  pragma(source: string): unknown;
}

/** How a wait for another process's write lock is spent. */
export interface WriteLockWait {
  /** How long `BEGIN IMMEDIATE` may wait in all before it fails with "database is locked". */
  busyTimeoutMs: number;
  /** The longest the event loop is held by one synchronous try (SQLite's own busy wait). */
  sliceMs?: number;
  /** The longest pause between two tries, during which the event loop runs. */
  maxPauseMs?: number;
}

const DEFAULT_SLICE_MS = 20;
const DEFAULT_MAX_PAUSE_MS = 50;

/**
 * better-sqlite3 whose transactions all begin `IMMEDIATE`, taking SQLite's write lock at `BEGIN`.
 * A plain (deferred) `BEGIN` reads first and asks for the write lock only at its first write; when
 * another process wrote in between, that upgrade fails at once with SQLITE_BUSY (the busy timeout
 * cannot help a transaction that holds a stale snapshot). Taking the lock first makes every write
 * transaction wait its turn instead, so several processes can share one file and the balance guard's
 * read-then-write stays one step. Nested transactions are savepoints, which knex does not begin here.
 *
 * better-sqlite3 waits for a lock synchronously, so one long busy wait would stop the process for
 * every request it serves. `BEGIN IMMEDIATE` therefore waits in short slices (SQLite's busy timeout
 * lowered to `sliceMs` for that statement) with pauses between them that give the event loop back,
 * until `busyTimeoutMs` has passed in all. Other statements keep the connection's full busy timeout.
 *
 * The statement goes to the connection directly rather than through knex's `Transaction.query`,
 * which on a failed `BEGIN` would hand out a dead transaction ("Transaction query already complete")
 * instead of the error: a lock still held after the busy timeout is a {@link DatabaseBusyError}.
 */
export function immediateSqliteDialect(wait: WriteLockWait): typeof BetterSqliteKnexDialect {
  return class ImmediateBetterSqliteDialect extends BetterSqliteKnexDialect {
    transaction(...args: unknown[]): KnexTransaction {
      const transaction = (super.transaction as (...a: unknown[]) => KnexTransaction).apply(this, args);
      transaction.begin = (connection) =>
        beginImmediate({ connection, wait, begin: () => transaction.trxClient.query(connection, 'BEGIN IMMEDIATE;') });
      return transaction;
    }
  };
}

/**
 * Runs `begin` (a `BEGIN IMMEDIATE` on `connection`) until it has the write lock: SQLite's busy wait
 * lowered to `sliceMs` for each try, the event loop free between tries, a {@link DatabaseBusyError}
 * once `busyTimeoutMs` has passed. The connection's full busy timeout is restored after each try.
 */
export async function beginImmediate<T>(args: {
  connection: SqliteConnection;
  wait: WriteLockWait;
  begin: () => T | Promise<T>;
}): Promise<T> {
  const { connection, wait, begin } = args;
  const sliceMs = Math.max(0, Math.trunc(Math.min(wait.sliceMs ?? DEFAULT_SLICE_MS, wait.busyTimeoutMs)));
  const maxPauseMs = Math.max(1, wait.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS);
  const fullTimeout = Math.max(0, Math.trunc(wait.busyTimeoutMs));
  const started = Date.now();
  const deadline = started + fullTimeout;
  for (let pause = 1; ; pause = Math.min(pause * 2, maxPauseMs)) {
    connection.pragma(`busy_timeout = ${sliceMs}`);
    try {
      return await begin();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const left = deadline - Date.now();
      if (left <= 0) throw Object.assign(new DatabaseBusyError(Date.now() - started), { cause: error });
      await sleep(Math.min(pause, left));
    } finally {
      connection.pragma(`busy_timeout = ${fullTimeout}`);
    }
  }
}

/** SQLITE_BUSY, as better-sqlite3 reports it (knex may wrap it and keep the code). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || (error instanceof Error && /database is locked/i.test(error.message));
}

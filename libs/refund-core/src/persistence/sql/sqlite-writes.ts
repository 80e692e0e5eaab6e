import { beginImmediate, type SqliteConnection } from '../sqlite-immediate.dialect';
import { type SqlRow, type SqlSession, type SqlValue, withStatement } from './sql-session';
import type { SqlStatement } from './sql-statement';
import { type ConnectionPool, borrowConnection } from './connection-pool';
import type { CommitCounts, DialectWrites } from './write-transactions';

/** A prepared better-sqlite3 statement, as far as the write path uses it. */
interface PreparedStatement {
  all(...params: unknown[]): SqlRow[];
  get(...params: unknown[]): SqlRow | undefined;
  run(...params: unknown[]): { changes: number };
}

/** The better-sqlite3 connection MikroORM's pool holds. */
export interface BetterSqliteConnection extends SqliteConnection {
  pragma(source: string, options?: { simple: boolean }): unknown;
  prepare(source: string): PreparedStatement;
  exec(source: string): unknown;
  readonly inTransaction: boolean;
}

interface Job {
  work: (session: SqlSession) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The most transactions one commit carries: enough to amortise the fsync, few enough to keep each wait short. */
const MAX_GROUP = 64;

/**
 * The write path on SQLite, with group commit. The one connection is taken from MikroORM's pool (so
 * MikroORM's own transactions and these queue on it), the write lock is taken at `BEGIN IMMEDIATE`,
 * and the transactions that arrived meanwhile all run in it, one after another, each in a savepoint of
 * its own: one that throws is rolled back to its savepoint and fails alone, the others commit. One
 * commit (one fsync, with `synchronous = FULL`) then makes them all durable, and only after it does
 * any of them resolve, so nobody hears of a write before it is on disk.
 */
export class SqliteWrites implements DialectWrites {
  private readonly queue: Job[] = [];
  private scheduled = false;
  private readonly prepared = new WeakMap<BetterSqliteConnection, Map<string, PreparedStatement>>();
  private readonly counts: CommitCounts = { transactions: 0, commits: 0 };
  private readonly busyTimeouts = new WeakMap<BetterSqliteConnection, number>();

  constructor(private readonly pool: ConnectionPool<BetterSqliteConnection>) {}

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // After the I/O of this turn, so that requests arriving together share the commit.
      setImmediate(() => void this.flush());
    });
  }

  /** In the group commit: it shares the fsync of whatever writes arrive with it. */
  statement<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.transaction(work);
  }

  outside<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return borrowConnection(this.pool, (connection) => work(this.session(connection)));
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    let connection: BetterSqliteConnection;
    try {
      connection = await this.pool.acquireConnection();
    } catch (error) {
      for (const job of this.queue.splice(0)) job.reject(error);
      return;
    }
    // Taken only now: what queued while the connection was busy joins this commit.
    const group = this.queue.splice(0, MAX_GROUP);
    if (this.queue.length && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    const settled: Array<{ ok: boolean; settle: () => void }> = [];
    try {
      if (group.length === 0) return;
      const busyTimeoutMs = this.busyTimeoutOf(connection);
      await beginImmediate({ connection, wait: { busyTimeoutMs }, begin: () => connection.exec('BEGIN IMMEDIATE') });
      const session = this.session(connection);
      for (const job of group) {
        settled.push(await this.runOne(connection, session, job, group.length > 1));
      }
      connection.exec('COMMIT');
      this.counts.commits += 1;
      this.counts.transactions += settled.filter((s) => s.ok).length;
      for (const { settle } of settled) settle();
    } catch (error) {
      // BEGIN, COMMIT or a savepoint failed: nothing of the group is stored, so every one of them fails.
      rollback(connection);
      for (const job of group) job.reject(error);
    } finally {
      this.pool.releaseConnection(connection);
    }
  }

  /** Runs one job, in a savepoint when it shares the transaction; returns how to settle it after the commit. */
  private async runOne(
    connection: BetterSqliteConnection,
    session: SqlSession,
    job: Job,
    shared: boolean,
  ): Promise<{ ok: boolean; settle: () => void }> {
    if (shared) connection.exec('SAVEPOINT refundhub_job');
    try {
      const value = await job.work(session);
      if (shared) connection.exec('RELEASE refundhub_job');
      return { ok: true, settle: () => job.resolve(value) };
    } catch (error) {
      if (shared) {
        connection.exec('ROLLBACK TO refundhub_job');
        connection.exec('RELEASE refundhub_job');
        return { ok: false, settle: () => job.reject(error) };
      }
      throw error;
    }
  }

  /** The connection's busy timeout, set when it was opened: read once, not at every commit (a pragma is a statement). */
  private busyTimeoutOf(connection: BetterSqliteConnection): number {
    let ms = this.busyTimeouts.get(connection);
    if (ms === undefined)
      this.busyTimeouts.set(connection, (ms = Number(connection.pragma('busy_timeout', { simple: true }))));
    return ms;
  }

  commitCounts(): CommitCounts {
    return { ...this.counts };
  }

  private session(connection: BetterSqliteConnection): SqlSession {
    const statement = (s: SqlStatement) => this.statementOn(connection, s);
    let savepoints = 0;
    return {
      dialect: 'sqlite',
      all: async (s, params) => named(s, () => statement(s).all(...params.map(toSqlite))),
      one: async (s, params) => named(s, () => statement(s).get(...params.map(toSqlite))),
      run: async (s, params) => named(s, () => statement(s).run(...params.map(toSqlite)).changes),
      // In process, a statement costs no round trip: nothing is gained by holding it.
      write: (s, params) => {
        named(s, () => statement(s).run(...params.map(toSqlite)));
      },
      savepoint: async <T>(work: () => Promise<T>): Promise<T> => {
        const name = `refundhub_sp${(savepoints += 1)}`;
        connection.exec(`SAVEPOINT ${name}`);
        try {
          const value = await work();
          connection.exec(`RELEASE ${name}`);
          return value;
        } catch (error) {
          connection.exec(`ROLLBACK TO ${name}`);
          connection.exec(`RELEASE ${name}`);
          throw error;
        }
      },
    };
  }

  private statementOn(connection: BetterSqliteConnection, s: SqlStatement): PreparedStatement {
    let cache = this.prepared.get(connection);
    if (!cache) this.prepared.set(connection, (cache = new Map()));
    let prepared = cache.get(s.name);
    if (!prepared) cache.set(s.name, (prepared = connection.prepare(s.sqlite)));
    return prepared;
  }
}

/** Ends a failed transaction; SQLite may have ended it already (a full disk, an I/O error). */
function rollback(connection: BetterSqliteConnection): void {
  try {
    if (connection.inTransaction) connection.exec('ROLLBACK');
  } catch {
    // Nothing to undo: the failure that brought us here is what the callers hear.
  }
}

/** Runs one statement; its error names the statement (never the values). */
function named<T>(s: SqlStatement, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw withStatement(error, s.sqlite);
  }
}

/** SQLite stores dates as epoch milliseconds (as MikroORM does) and booleans as 0 / 1. */
function toSqlite(value: SqlValue): string | number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

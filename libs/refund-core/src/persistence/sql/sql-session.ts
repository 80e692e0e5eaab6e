import type { SqlDialect, SqlStatement } from './sql-statement';

/** What a statement takes: dates and booleans are stored as each dialect stores them. */
export type SqlValue = string | number | boolean | Date | null;

/** A row as the driver gives it, before it is read into an entity's shape. */
export type SqlRow = Record<string, unknown>;

/**
 * One transaction of the write path, on the connection MikroORM owns. Statements are prepared once
 * per connection and run with their values bound, never inlined.
 */
export interface SqlSession {
  readonly dialect: SqlDialect;
  all(statement: SqlStatement, params: readonly SqlValue[]): Promise<SqlRow[]>;
  /** The first row, or undefined. */
  one(statement: SqlStatement, params: readonly SqlValue[]): Promise<SqlRow | undefined>;
  /** Runs a statement that returns no rows; resolves to the number of rows it changed. */
  run(statement: SqlStatement, params: readonly SqlValue[]): Promise<number>;
  /**
   * An `insert` or `update` whose count nobody reads. PostgreSQL sends it together with the writes
   * queued after it, as one statement (one round trip), before the next statement of any other kind
   * and before the commit; SQLite, in process, runs it at once. So its failure (a key another
   * transaction took) may surface from that later statement or the commit: a caller that handles a
   * write's failure where it happens uses `run`, or a `savepoint` (which sends what it queued).
   *
   * Synchronous: it never waits for the database (SQLite's run is in process, PostgreSQL's is held),
   * and on the hottest path every promise counts (each costs Node 20's promise hooks, which
   * AsyncLocalStorage turns on). SQLite's failure is thrown here; PostgreSQL's comes later, as above.
   */
  write(statement: SqlStatement, params: readonly SqlValue[]): void;
  /**
   * Runs `work` in a savepoint: when it throws, what it wrote is undone and the transaction goes on
   * (on PostgreSQL a failed statement otherwise aborts the whole transaction).
   */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

/** A failure the database reports because another transaction wrote the same key first. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** PostgreSQL gave up one of two transactions waiting on each other; the other went on. */
export function isDeadlock(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '40P01';
}

/**
 * The driver's error, with the statement that failed as written (placeholders, never values), so a
 * log can name the operation and the table (see `describeError`).
 */
export function withStatement(error: unknown, text: string): unknown {
  if (typeof error === 'object' && error !== null) {
    Object.defineProperty(error, 'statement', { value: text, enumerable: false, configurable: true });
  }
  return error;
}

import type { MigrationObject, Options } from '@mikro-orm/core';

import { REFUND_ENTITIES } from '../entities';
import { POSTGRESQL_MIGRATIONS } from './migrations/postgresql';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';
import { REFUND_MIGRATIONS_TABLE } from './refund-schema';

/** Where refunds are stored: an embedded SQLite file, or PostgreSQL for production. */
export type RefundDatabaseOptions = SqliteDatabaseOptions | PostgresDatabaseOptions;

export interface SqliteDatabaseOptions {
  driver: 'sqlite';
  path: string;
  /**
   * `full` (the default) makes every commit durable before it returns, power loss included. `normal`
   * in WAL mode survives a crashed process but may lose the last commits to a power cut or an OS crash.
   */
  synchronous?: SqliteSynchronous;
  /** How long a write waits for another process's write transaction before it fails (default 5 s). */
  busyTimeoutMs?: number;
}

export type SqliteSynchronous = 'full' | 'normal';

export interface PostgresDatabaseOptions {
  driver: 'postgresql';
  url: string;
  pool?: { min?: number; max?: number };
}

/** The better-sqlite3 connection, as far as the pool's hook uses it. */
interface SqliteConnection {
  pragma(source: string): unknown;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/**
 * MikroORM options for refund-core's tables, with the migrations of that dialect. Drivers are
 * loaded on demand so that a PostgreSQL deployment needs no SQLite build and the reverse.
 *
 * @example
 * ```ts
 * MikroOrmModule.forRootAsync({ useFactory: () => refundOrmOptions({ driver: 'sqlite', path: './data/refunds.sqlite' }) })
 * ```
 */
export async function refundOrmOptions(db: RefundDatabaseOptions): Promise<Options> {
  const { Migrator } = await import('@mikro-orm/migrations');
  const common: Options = {
    entities: REFUND_ENTITIES,
    extensions: [Migrator],
    // Entities declare their column types, so no TypeScript reflection is needed at run time.
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
  };
  if (db.driver === 'sqlite') {
    const { BetterSqliteDriver } = await import('@mikro-orm/better-sqlite');
    const { immediateSqliteDialect } = await import('./sqlite-immediate.dialect');
    return {
      ...common,
      driver: BetterSqliteDriver,
      dbName: db.path,
      driverOptions: { client: immediateSqliteDialect({ busyTimeoutMs: busyTimeoutOf(db) }) },
      // One connection per process: its transactions queue on it. Across processes, WAL lets readers
      // run beside the one writer, and `BEGIN IMMEDIATE` plus the busy timeout queue the writers.
      pool: { min: 1, max: 1, afterCreate: sqlitePragmas(db) },
      migrations: migrationOptions(SQLITE_MIGRATIONS),
    };
  }
  const { PostgreSqlDriver } = await import('@mikro-orm/postgresql');
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: db.url,
    pool: { min: db.pool?.min ?? 0, max: db.pool?.max ?? 10 },
    migrations: migrationOptions(POSTGRESQL_MIGRATIONS),
  };
}

function busyTimeoutOf(db: SqliteDatabaseOptions): number {
  return Math.trunc(db.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
}

function sqlitePragmas(db: SqliteDatabaseOptions) {
  return (connection: SqliteConnection, done: (error: Error | null, connection: SqliteConnection) => void): void => {
    try {
      // The timeout first: switching to WAL itself waits for other processes' locks.
      connection.pragma(`busy_timeout = ${busyTimeoutOf(db)}`);
      connection.pragma('journal_mode = WAL');
      connection.pragma(`synchronous = ${(db.synchronous ?? 'full').toUpperCase()}`);
      done(null, connection);
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), connection);
    }
  };
}

function migrationOptions(list: MigrationObject[]): Options['migrations'] {
  return {
    migrationsList: list,
    tableName: REFUND_MIGRATIONS_TABLE,
    transactional: true,
    allOrNothing: true,
    snapshot: false,
    silent: true,
  };
}
